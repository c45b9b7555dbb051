using System.Text.RegularExpressions;

namespace Strata.Database;

/// <summary>
/// The one function every error, log and output path runs text through before it leaves the
/// library (STYLE habit 7): passwords in URLs and key=value strings are masked by shape, and the
/// secrets this redactor was given (a target's password) are masked by value wherever else they
/// turn up. Each target carries its own redactor: no process-wide list of secrets that one
/// embedding application's projects would share or leak into each other.
/// </summary>
public sealed partial class Redactor
{
    private const string Mask = "********";
    private readonly string[] _secrets;

    /// <summary>A redactor that masks by shape only.</summary>
    public static readonly Redactor ShapesOnly = new([]);

    /// <summary>A redactor that also masks each of <paramref name="secrets"/> by value.</summary>
    public Redactor(IEnumerable<string?> secrets) =>
        // Very short values would mask innocent text everywhere; they are still masked by shape.
        _secrets = [.. secrets.Where(s => !string.IsNullOrEmpty(s) && s.Length >= 4).Select(s => s!).Distinct(StringComparer.Ordinal)];

    // Any scheme, not only postgres(ql): a mysql:// or jdbc:postgresql:// URL pasted by mistake
    // carries a password too. The secret runs to the last '@' of the word, because a password
    // may hold an unencoded '@' (split at the first, "p@ss" would show "ss").
    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)(?<secret>\S*)@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();

    // Npgsql's names and synonyms (Password, PWD, PSW, SSL Password, SslPassword), libpq's
    // (password, sslpassword), the PGPASSWORD variable, and passfile. A quoted value may double
    // its quote to hold one ('a''b'); an unterminated quote runs to the end.
    [GeneratedRegex(@"(?<key>(?<!\w)(?:(?:pg|ssl\s*)?(?:password|pwd|psw)|passfile)\s*=\s*)(?<secret>\*{8}|'(?:[^']|'')*'?|""(?:[^""]|"""")*""?|[^;\s]*)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePassword();

    // CREATE/ALTER ROLE ... [ENCRYPTED] PASSWORD 'literal': a failing statement is shown and
    // stored with its text, and a role's password in it is as secret as a connection's. Inside a
    // string (a DO block's EXECUTE 'ALTER ROLE r PASSWORD ''x''') the literal's quotes are doubled.
    [GeneratedRegex(@"(?<key>\bPASSWORD\s+)(?<secret>''(?:[^']|'''')+''|[Ee]?'(?:[^']|'')*')", RegexOptions.IgnoreCase)]
    private static partial Regex SqlPasswordLiteral();

    [GeneratedRegex(@"^[a-z][a-z0-9+.-]*:", RegexOptions.IgnoreCase)]
    private static partial Regex SchemePrefix();

    /// <summary>This redactor's secrets and <paramref name="other"/>'s together.</summary>
    public Redactor With(Redactor other) => new(_secrets.Concat(other._secrets));

    /// <summary>The text with every password and known secret replaced by a mask.</summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = UrlPassword().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        result = KeyValuePassword().Replace(result, m => m.Groups["key"].Value + Mask);
        result = SqlPasswordLiteral().Replace(result, m => m.Groups["secret"].Value.StartsWith("''", StringComparison.Ordinal)
            ? m.Groups["key"].Value + "''" + Mask + "''"
            : m.Groups["key"].Value + "'" + Mask + "'");
        foreach (var secret in _secrets)
        {
            if (result.Contains(secret, StringComparison.Ordinal)) result = result.Replace(secret, Mask, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret && result.Contains(escaped, StringComparison.Ordinal)) result = result.Replace(escaped, Mask, StringComparison.Ordinal);
        }
        return result;
    }

    /// <summary>
    /// A whole connection string, as it may be echoed in an error about it. Because it knows where
    /// the string starts and ends, it masks what free text cannot show the end of: in a URL of any
    /// scheme, everything between <c>://</c> and the last <c>@</c> (user name included: a password
    /// with an unencoded '/', '?', ':' or space makes the user part ambiguous); and everything after
    /// a password's <c>=</c> in key=value pairs or URL parameters, since a string that did not
    /// parse does not say where that password ends (<c>Password=a;b</c> may mean "a;b").
    /// </summary>
    public static string MaskConnectionString(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = text;
        if (SchemePrefix().Match(result) is { Success: true } scheme)
        {
            var slashes = result.IndexOf("://", StringComparison.Ordinal);
            var start = slashes >= 0 ? slashes + 3 : scheme.Length;
            var lastAt = result.LastIndexOf('@');
            if (lastAt >= start) result = result[..start] + Mask + result[lastAt..];
        }
        if (KeyValuePassword().Match(result) is { Success: true } password)
            result = result[..(password.Index + password.Groups["key"].Length)] + Mask;
        return result;
    }
}
