using System.Text.RegularExpressions;
using Npgsql;

namespace Strata.Database;

/// <summary>
/// A database to work on. It holds an Npgsql connection string, which may carry a password and
/// so is internal and never formatted: <see cref="ToString"/>, string interpolation, a logger's
/// message template and a structured logger reading public properties all see
/// <see cref="Display"/>, which never holds one.
/// </summary>
public sealed partial class ConnectionTarget
{
    internal ConnectionTarget(string connectionString, string display, string source, string? environment, Redactor redactor)
    {
        ConnectionString = connectionString;
        Display = display;
        Source = source;
        Environment = environment;
        Redactor = redactor;
    }

    /// <summary>What Npgsql opens. Never rendered.</summary>
    internal string ConnectionString { get; }

    /// <summary>Masks this target's password wherever server text might echo it.</summary>
    internal Redactor Redactor { get; }

    /// <summary><c>postgresql://user@host:port/db</c>, safe to print.</summary>
    public string Display { get; }

    /// <summary>Where it came from: --url, an environment, DATABASE_URL, the dev cluster.</summary>
    public string Source { get; }

    /// <summary>The environment name when the target came from one.</summary>
    public string? Environment { get; }

    /// <summary>The same database, described as coming from <paramref name="source"/>.</summary>
    public ConnectionTarget WithSource(string source) => new(ConnectionString, Display, source, Environment, Redactor);

    /// <summary>The password-free <see cref="Display"/> form.</summary>
    public override string ToString() => Display;

    /// <summary>The same server and credentials, another database (verify's scratch databases on a server it was given).</summary>
    internal ConnectionTarget WithDatabase(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = database };
        var slash = Display.IndexOf('/', Display.IndexOf("://", StringComparison.Ordinal) + 3);
        var query = Display.IndexOf('?');
        var display = slash < 0 ? Display : Display[..(slash + 1)] + database + (query > slash ? Display[query..] : "");
        return new ConnectionTarget(builder.ConnectionString, display, Source, Environment, Redactor);
    }

    /// <summary>
    /// The target as a libpq URL (<c>postgresql://user:password@host:port/db</c>), password
    /// included: for a child process that needs DATABASE_URL (a deploy's smoke command), never for output.
    /// </summary>
    internal string ToUrl()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        var user = Uri.EscapeDataString(builder.Username ?? "");
        var password = string.IsNullOrEmpty(builder.Password) ? "" : ":" + Uri.EscapeDataString(builder.Password);
        var host = builder.Host ?? "";
        var database = Uri.EscapeDataString(builder.Database ?? "");
        var port = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A socket folder cannot be a URL's host: libpq reads it from the host parameter.
        var authority = host.StartsWith('/') ? $"{user}{password}@:{port}" : $"{user}{password}@{(host.Contains(':') ? $"[{host}]" : host)}:{port}";
        var query = host.StartsWith('/') ? "?host=" + Uri.EscapeDataString(host) : "";
        var ssl = LibpqSslMode(builder.SslMode);
        if (ssl is not "prefer") query += (query.Length == 0 ? "?" : "&") + "sslmode=" + ssl;
        return $"postgresql://{authority}/{database}{query}";
    }

    /// <summary>libpq's name of an SSL mode (sslmode=, PGSSLMODE), the inverse of <see cref="SslModes"/>; "prefer", libpq's default, for the rest.</summary>
    internal static string LibpqSslMode(SslMode mode) =>
        SslModes.FirstOrDefault(m => string.Equals(m.Value, mode.ToString(), StringComparison.OrdinalIgnoreCase)).Key?.ToLowerInvariant() ?? "prefer";

    private static readonly Dictionary<string, string> UrlParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode", ["application_name"] = "Application Name", ["connect_timeout"] = "Timeout",
        ["sslrootcert"] = "Root Certificate", ["sslcert"] = "SSL Certificate", ["sslkey"] = "SSL Key",
        ["options"] = "Options", ["target_session_attrs"] = "Target Session Attributes", ["host"] = "Host",
        ["port"] = "Port", ["user"] = "Username", ["password"] = "Password", ["dbname"] = "Database",
        ["sslpassword"] = "SSL Password", ["channel_binding"] = "Channel Binding",
    };

    private static readonly Dictionary<string, string> SslModes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = "Disable", ["allow"] = "Allow", ["prefer"] = "Prefer", ["require"] = "Require",
        ["verify-ca"] = "VerifyCA", ["verify-full"] = "VerifyFull",
    };

    /// <summary>
    /// Parses a PostgreSQL URL (<c>postgresql://</c> or <c>postgres://</c>) or an Npgsql key=value
    /// string. Any other <c>scheme://</c> is refused. Errors quote the text with
    /// <see cref="Redactor.MaskConnectionString"/> and never name a fragment that might be part of
    /// a password.
    /// </summary>
    public static ConnectionTarget Parse(string text, string source, string? environment = null)
    {
        text = text.Trim();
        var shown = Redactor.MaskConnectionString(text);
        var (builder, redactor) = UrlScheme().Match(text) switch
        {
            { Success: false } when IsLibpqKeywords(text) => FromLibpq(text, shown),
            { Success: false } => FromKeyValue(text, shown),
            var url when url.Groups["scheme"].Value.ToLowerInvariant() is "postgres" or "postgresql" => FromUrl(text, shown),
            var url => throw new StrataException(DatabaseProblems.UnsupportedScheme(shown, url.Groups["scheme"].Value)),
        };
        if (string.IsNullOrEmpty(builder.Host))
            throw new StrataException(DatabaseProblems.BadUrl(shown, "it names no host"));
        builder.ApplicationName ??= "strata";
        var user = string.IsNullOrEmpty(builder.Username) ? "" : Uri.EscapeDataString(builder.Username) + "@";
        var host = builder.Host.Contains('/') ? Uri.EscapeDataString(builder.Host) : builder.Host;
        var display = IsSocketDirectory(builder.Host)
            // libpq's own form for a socket folder, readable and accepted back by this parser.
            ? $"postgresql://{user}/{builder.Database ?? ""}?host={EscapePath(builder.Host)}&port={builder.Port}"
            : $"postgresql://{user}{host}:{builder.Port}/{builder.Database ?? ""}";
        return new ConnectionTarget(builder.ConnectionString, display, source, environment, redactor);
    }

    // A scheme such as "mysql" or "jdbc:postgresql" before "://"; key=value strings have none,
    // since their first key is followed by '='.
    [GeneratedRegex(@"^(?<scheme>[a-z][a-z0-9+.:-]*)://", RegexOptions.IgnoreCase)]
    private static partial Regex UrlScheme();

    private static bool IsSocketDirectory(string host) => host.StartsWith('/') && !host.Contains(',');

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static (NpgsqlConnectionStringBuilder, Redactor) FromKeyValue(string text, string shown)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(text);
            return (builder, new Redactor([builder.Password, builder.SslPassword]));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // Npgsql's message is not passed on: it names the key it choked on, which for
            // Password=a;b=c is part of the password.
            throw new StrataException(DatabaseProblems.BadUrl(shown, "it is neither a postgresql:// URL nor valid key=value pairs"));
        }
    }

    private static (NpgsqlConnectionStringBuilder, Redactor) FromUrl(string text, string shown)
    {
        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var lastAt = rest.LastIndexOf('@');
        var builder = new NpgsqlConnectionStringBuilder();
        var query = "";
        var q = rest.IndexOf('?');
        if (q >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }
        var slash = rest.IndexOf('/');
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? rest[(slash + 1)..] : "";
        // The user info ends at the authority's last '@', so "u:p@ss@host" is the password "p@ss".
        // An '@' further on means a '/' or '?' in the password cut the authority short; guessing
        // would put pieces of that password in the host or database name, which are shown.
        if (lastAt >= authority.Length) throw new StrataException(DatabaseProblems.AtAfterHost(shown));
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            builder.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo, shown);
            if (colon >= 0) builder.Password = Decode(userInfo[(colon + 1)..], shown);
        }
        if (authority.Length > 0) builder.Host = HostsAndPort(builder, authority, shown);
        if (database.Length > 0) builder.Database = Decode(database, shown);
        // After a password parameter, a later "key" may be the rest of a password with an
        // unencoded '&' in it: from there on, errors name no key or value.
        var afterPassword = false;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = eq >= 0 ? pair[..eq] : pair;
            var value = eq >= 0 ? Decode(pair[(eq + 1)..], shown) : "";
            afterPassword |= Apply(builder, key, value, shown, afterPassword) is "Password" or "SSL Password";
        }
        return (builder, new Redactor([builder.Password, builder.SslPassword]));
    }

    /// <summary>Sets one libpq parameter (URL query or key=value) on the builder; returns Npgsql's key for it.</summary>
    private static string Apply(NpgsqlConnectionStringBuilder builder, string key, string value, string shown, bool afterPassword)
    {
        string Quoted(string fragment) => afterPassword ? "" : $" '{fragment}'";
        if (!UrlParameters.TryGetValue(key, out var npgsqlKey))
            throw new StrataException(DatabaseProblems.BadUrl(shown, $"unknown parameter{Quoted(key)} (known: {string.Join(", ", UrlParameters.Keys)})"));
        if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
        {
            if (!SslModes.TryGetValue(value, out var mode))
                throw new StrataException(DatabaseProblems.BadUrl(shown, $"sslmode{Quoted(value)} is not one of {string.Join(", ", SslModes.Keys)}"));
            value = mode;
        }
        try { builder[npgsqlKey] = value; }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
        {
            throw new StrataException(DatabaseProblems.BadUrl(shown, $"parameter{Quoted(key)} has an invalid value"));
        }
        return npgsqlKey;
    }

    /// <summary>
    /// libpq's keyword form, as psql takes it: <c>host=db.example.com port=5432 dbname=app
    /// user=deploy</c>, pairs separated by spaces, a value in single quotes when it holds spaces
    /// (<c>\'</c> and <c>\\</c> escaped). Npgsql's own form separates pairs with ';', so without
    /// this the whole string would be read as one host name.
    /// </summary>
    private static bool IsLibpqKeywords(string text) =>
        !text.Contains(';') && LibpqFirstKey().Match(text) is { Success: true } first && UrlParameters.ContainsKey(first.Groups["key"].Value);

    [GeneratedRegex(@"^\s*(?<key>[A-Za-z_]+)\s*=")]
    private static partial Regex LibpqFirstKey();

    private static (NpgsqlConnectionStringBuilder, Redactor) FromLibpq(string text, string shown)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        var afterPassword = false;
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) break;
            var keyStart = i;
            while (i < text.Length && text[i] != '=' && !char.IsWhiteSpace(text[i])) i++;
            var key = text[keyStart..i];
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length || text[i] != '=')
                throw new StrataException(DatabaseProblems.BadUrl(shown, afterPassword ? "a keyword without '=value'" : $"keyword '{key}' has no '=value'"));
            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            var value = new System.Text.StringBuilder();
            if (i < text.Length && text[i] == '\'')
            {
                i++;
                var closed = false;
                for (; i < text.Length; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length) { value.Append(text[++i]); continue; }
                    if (text[i] == '\'') { closed = true; i++; break; }
                    value.Append(text[i]);
                }
                if (!closed) throw new StrataException(DatabaseProblems.BadUrl(shown, "a quoted value is never closed"));
            }
            else
            {
                for (; i < text.Length && !char.IsWhiteSpace(text[i]); i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    value.Append(text[i]);
                }
            }
            afterPassword |= Apply(builder, key, value.ToString(), shown, afterPassword) is "Password" or "SSL Password";
        }
        return (builder, new Redactor([builder.Password, builder.SslPassword]));
    }

    private static string HostsAndPort(NpgsqlConnectionStringBuilder builder, string authority, string shown)
    {
        // Several hosts (host1:5432,host2:5433) are kept as Npgsql's multi-host list.
        var hosts = new List<string>();
        foreach (var part in authority.Split(','))
        {
            var hostPart = part;
            var colon = part.LastIndexOf(':');
            if (colon >= 0 && !part.EndsWith(']'))
            {
                if (!int.TryParse(part[(colon + 1)..], out var port) || port is < 1 or > 65535)
                    throw new StrataException(DatabaseProblems.BadUrl(shown, $"port '{part[(colon + 1)..]}' is not a number from 1 to 65535"));
                hostPart = part[..colon];
                if (authority.Contains(',')) hostPart += ":" + port; else builder.Port = port;
            }
            hosts.Add(Decode(hostPart.Trim('[', ']'), shown));
        }
        return string.Join(',', hosts);
    }

    private static string Decode(string value, string shown)
    {
        // Uri.UnescapeDataString leaves a bad escape such as %zz as it is; a URL with one is a typo.
        for (var i = value.IndexOf('%'); i >= 0; i = value.IndexOf('%', i + 1))
        {
            if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                throw new StrataException(DatabaseProblems.BadUrl(shown, "it has a malformed %-escape"));
        }
        return Uri.UnescapeDataString(value);
    }
}
