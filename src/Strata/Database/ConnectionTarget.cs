using Npgsql;

namespace Strata.Database;

/// <summary>
/// A database to work on: an Npgsql connection string (which may hold a password and so is
/// never shown) and a display form that never does.
/// </summary>
/// <param name="ConnectionString">What Npgsql opens. Never rendered.</param>
/// <param name="Display">postgresql://user@host:port/db, safe to print.</param>
/// <param name="Source">Where it came from: --url, an environment, DATABASE_URL, the dev cluster.</param>
/// <param name="Environment">The environment name when the target came from one.</param>
public sealed record ConnectionTarget(string ConnectionString, string Display, string Source, string? Environment = null)
{
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

    /// <summary>Parses a PostgreSQL URL or an Npgsql key=value string.</summary>
    public static ConnectionTarget Parse(string text, string source, string? environment = null)
    {
        text = text.Trim();
        var builder = text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ||
                      text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            ? FromUrl(text)
            : FromKeyValue(text);
        Redactor.Register(builder.Password);
        if (string.IsNullOrEmpty(builder.Host))
            throw new StrataException(DatabaseProblems.BadUrl(Redactor.Redact(text), "it names no host"));
        builder.ApplicationName ??= "strata";
        var user = string.IsNullOrEmpty(builder.Username) ? "" : Uri.EscapeDataString(builder.Username) + "@";
        var host = builder.Host.Contains('/') ? Uri.EscapeDataString(builder.Host) : builder.Host;
        var display = $"postgresql://{user}{host}:{builder.Port}/{builder.Database ?? ""}";
        return new ConnectionTarget(builder.ConnectionString, display, source, environment);
    }

    private static NpgsqlConnectionStringBuilder FromKeyValue(string text)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new StrataException(DatabaseProblems.BadUrl(Redactor.Redact(text), "it is neither a postgresql:// URL nor valid key=value pairs"));
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(string text)
    {
        var redacted = Redactor.Redact(text);
        var rest = text[(text.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();
        var query = "";
        var q = rest.IndexOf('?');
        if (q >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }
        var slash = rest.IndexOf('/');
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? rest[(slash + 1)..] : "";
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            builder.Username = Decode(colon >= 0 ? userInfo[..colon] : userInfo, redacted);
            if (colon >= 0) builder.Password = Decode(userInfo[(colon + 1)..], redacted);
            Redactor.Register(builder.Password);
        }
        if (authority.Length > 0) builder.Host = HostsAndPort(builder, authority, redacted);
        if (database.Length > 0) builder.Database = Decode(database, redacted);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = eq >= 0 ? pair[..eq] : pair;
            var value = eq >= 0 ? Decode(pair[(eq + 1)..], redacted) : "";
            if (!UrlParameters.TryGetValue(key, out var npgsqlKey))
                throw new StrataException(DatabaseProblems.BadUrl(redacted, $"unknown parameter '{key}' (known: {string.Join(", ", UrlParameters.Keys)})"));
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
            {
                if (!SslModes.TryGetValue(value, out var mode))
                    throw new StrataException(DatabaseProblems.BadUrl(redacted, $"sslmode '{value}' is not one of {string.Join(", ", SslModes.Keys)}"));
                value = mode;
            }
            try { builder[npgsqlKey] = value; }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                throw new StrataException(DatabaseProblems.BadUrl(redacted, $"parameter '{key}' has an invalid value"));
            }
        }
        return builder;
    }

    private static string HostsAndPort(NpgsqlConnectionStringBuilder builder, string authority, string redacted)
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
                    throw new StrataException(DatabaseProblems.BadUrl(redacted, $"port '{part[(colon + 1)..]}' is not a number from 1 to 65535"));
                hostPart = part[..colon];
                if (authority.Contains(',')) hostPart += ":" + port; else builder.Port = port;
            }
            hosts.Add(Decode(hostPart.Trim('[', ']'), redacted));
        }
        return string.Join(',', hosts);
    }

    private static string Decode(string value, string redacted)
    {
        // Uri.UnescapeDataString leaves a bad escape such as %zz as it is; a URL with one is a typo.
        for (var i = value.IndexOf('%'); i >= 0; i = value.IndexOf('%', i + 1))
        {
            if (i + 2 >= value.Length || !char.IsAsciiHexDigit(value[i + 1]) || !char.IsAsciiHexDigit(value[i + 2]))
                throw new StrataException(DatabaseProblems.BadUrl(redacted, "it has a malformed %-escape"));
        }
        return Uri.UnescapeDataString(value);
    }
}
