using System.Security.Cryptography;
using System.Text;

namespace Strata.Migrations;

/// <summary>
/// A migration file's text as Strata reads it: strict UTF-8, BOM stripped, CRLF folded to LF,
/// so that a Windows checkout of the same file has the same checksum and never looks like drift.
/// </summary>
internal static class MigrationText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes and normalises; a problem names the line of the first invalid byte, or of a NUL.</summary>
    public static bool TryDecode(string path, byte[] bytes, out string text, out Problem? problem)
    {
        problem = null;
        try
        {
            text = Strict.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            text = "";
            var offset = ex.Index >= 0 ? FirstInvalidByte(bytes) : 0;
            var line = 1 + bytes.AsSpan(0, offset).Count((byte)'\n');
            problem = MigrationProblems.NotUtf8(path, line, offset);
            return false;
        }
        text = Normalise(text);
        // PostgreSQL refuses a NUL in query text, and only when the statement holding it is sent:
        // in a file that runs statement by statement, the ones before it would already be committed.
        var nul = text.IndexOf('\0');
        if (nul >= 0)
        {
            var lineStart = text.LastIndexOf('\n', Math.Max(0, nul - 1)) + 1;
            var line = 1 + text.AsSpan(0, lineStart).Count('\n');
            var column = 1 + nul - lineStart - text[lineStart..nul].Count(char.IsLowSurrogate);
            problem = MigrationProblems.NulByte(path, line, column);
            text = "";
            return false;
        }
        return true;
    }

    /// <summary>BOM stripped and line endings folded to LF.</summary>
    public static string Normalise(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        return text.Contains('\r') ? text.Replace("\r\n", "\n") : text;
    }

    /// <summary>A checksum cut to its first hex digits, for messages that compare two side by side.</summary>
    public static string ShortChecksum(string checksum) => checksum.Length > 19 ? checksum[..19] + "…" : checksum;

    /// <summary>"sha256:" and the lower-case hex SHA-256 of the normalised text.</summary>
    public static string Checksum(string normalisedText) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalisedText)));

    private static int FirstInvalidByte(byte[] bytes)
    {
        // The decoder's own index is relative to its internal buffer; find the offset ourselves.
        var span = bytes.AsSpan();
        var offset = 0;
        while (offset < span.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span[offset..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }
}
