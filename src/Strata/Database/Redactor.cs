using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Strata.Database;

/// <summary>
/// The one function every error, log and output path runs text through before it leaves the
/// library (STYLE habit 7): passwords in URLs and key=value strings are masked by shape, and
/// every secret a target was built from is masked by value, wherever else it turns up.
/// </summary>
public static partial class Redactor
{
    private const string Mask = "********";
    private static readonly ConcurrentDictionary<string, byte> Secrets = new(StringComparer.Ordinal);

    [GeneratedRegex(@"(?<scheme>postgres(?:ql)?://[^:/@\s]*:)(?<secret>[^@\s]*)@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?<key>\b(?:password|pwd|passfile)\s*=\s*)(?<secret>'[^']*'|""[^""]*""|[^;\s]*)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePassword();

    /// <summary>Remembers a secret so that it is masked wherever it appears later.</summary>
    public static void Register(string? secret)
    {
        // Very short values would mask innocent text everywhere; they are still masked by shape.
        if (!string.IsNullOrEmpty(secret) && secret.Length >= 4) Secrets.TryAdd(secret, 0);
    }

    /// <summary>The text with every password and registered secret replaced by a mask.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = UrlPassword().Replace(text, m => m.Groups["scheme"].Value + Mask + "@");
        result = KeyValuePassword().Replace(result, m => m.Groups["key"].Value + Mask);
        foreach (var secret in Secrets.Keys)
        {
            if (result.Contains(secret, StringComparison.Ordinal)) result = result.Replace(secret, Mask, StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(secret);
            if (escaped != secret && result.Contains(escaped, StringComparison.Ordinal)) result = result.Replace(escaped, Mask, StringComparison.Ordinal);
        }
        return result;
    }
}
