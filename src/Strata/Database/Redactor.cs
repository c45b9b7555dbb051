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

    [GeneratedRegex(@"(?<scheme>postgres(?:ql)?://[^:/@\s]*:)(?<secret>[^@\s]*)@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?<key>\b(?:password|pwd|passfile)\s*=\s*)(?<secret>'[^']*'|""[^""]*""|[^;\s]*)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePassword();

    // CREATE/ALTER ROLE ... [ENCRYPTED] PASSWORD 'literal': a failing statement is shown and
    // stored with its text, and a role's password in it is as secret as a connection's.
    [GeneratedRegex(@"(?<key>\bPASSWORD\s+)(?<secret>[Ee]?'(?:[^']|'')*')", RegexOptions.IgnoreCase)]
    private static partial Regex SqlPasswordLiteral();

    /// <summary>This redactor's secrets and <paramref name="other"/>'s together.</summary>
    public Redactor With(Redactor other) => new(_secrets.Concat(other._secrets));

    /// <summary>The text with every password and known secret replaced by a mask.</summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = UrlPassword().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        result = KeyValuePassword().Replace(result, m => m.Groups["key"].Value + Mask);
        result = SqlPasswordLiteral().Replace(result, m => m.Groups["key"].Value + "'" + Mask + "'");
        foreach (var secret in _secrets)
        {
            if (result.Contains(secret, StringComparison.Ordinal)) result = result.Replace(secret, Mask, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret && result.Contains(escaped, StringComparison.Ordinal)) result = result.Replace(escaped, Mask, StringComparison.Ordinal);
        }
        return result;
    }
}
