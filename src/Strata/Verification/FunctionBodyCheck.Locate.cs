using System.Text;
using Strata.Migrations;
using Strata.Sql;

namespace Strata.Verification;

internal static partial class FunctionBodyCheck
{
    /// <summary>
    /// Where a function came from: the file of the last CREATE [OR REPLACE] FUNCTION or PROCEDURE
    /// of it in <paramref name="files"/> (in their order, up sections only), and the file line of
    /// <paramref name="bodyLine"/> (counted as PL/pgSQL counts: line 1 is the line of the body's
    /// opening quote), or the statement's first line when the body line is not known. Null when no
    /// migration creates it (e.g. a preamble did, or dynamic SQL).
    /// </summary>
    /// <remarks>
    /// Names match as PostgreSQL resolves them: unquoted parts fold to lower case, quoted parts keep
    /// theirs, and an unqualified name is taken as public (the usual search_path's first schema);
    /// when no CREATE names the function that way, an unqualified one with its name is taken (a
    /// migration may have SET search_path first). Among overloads, a CREATE with as many
    /// arguments as the identity is preferred.
    /// </remarks>
    public static (string File, int Line)? Locate(IReadOnlyList<MigrationFile> files, string functionIdentity, int? bodyLine)
    {
        if (ParseIdentity(functionIdentity) is not var (schema, name, arguments)) return null;

        Creation? exact = null, unqualified = null;
        foreach (var file in files)
        {
            foreach (var statement in file.Up.Statements)
            {
                if (statement.Facts.Verb is not ("CREATE FUNCTION" or "CREATE PROCEDURE")) continue;
                if (ReadCreation(file, statement) is not { } creation || creation.Name != name) continue;
                if (creation.Schema == schema || (creation.Schema is null && schema == "public"))
                    exact = Prefer(exact, creation, arguments);
                else if (creation.Schema is null)
                    unqualified = Prefer(unqualified, creation, arguments);
            }
        }
        if ((exact ?? unqualified) is not { } found) return null;
        var line = bodyLine is { } n && found.BodyLine is { } opening ? opening + n - 1 : found.Statement.Line;
        return (found.File.Path, line);
    }

    private sealed record Creation(MigrationFile File, SqlStatement Statement, string? Schema, string Name, int Arguments, int? BodyLine);

    // A later CREATE replaces an earlier one, unless only the earlier one has the right number of
    // arguments (the later one is then another overload).
    private static Creation Prefer(Creation? current, Creation candidate, int arguments) =>
        current is not null && current.Arguments == arguments && candidate.Arguments != arguments ? current : candidate;

    // CREATE [OR REPLACE] FUNCTION name ( arguments ) ... AS body: the name, the number of
    // arguments and the file line of the body's opening quote (none for a BEGIN ATOMIC body).
    private static Creation? ReadCreation(MigrationFile file, SqlStatement statement)
    {
        var text = file.Up.Text;
        var tokens = new SignificantTokens(text, statement.Tokens);
        List<SqlToken> significant = [.. statement.Tokens.Where(t => !t.IsTrivia)];
        var keyword = 0;
        while (keyword < tokens.Count && !tokens.IsAnyWord(keyword, "FUNCTION", "PROCEDURE")) keyword++;
        var parts = tokens.ReadNameParts(keyword + 1);
        if (parts.Count is 0 or > 2) return null;
        var open = keyword + 2 * parts.Count;
        if (tokens.KindAt(open) != SqlTokenKind.OpenParen) return null;

        var close = tokens.SkipParenthesized(open) - 1;
        var arguments = close == open + 1 ? 0 : 1;
        var depth = 0;
        for (var i = open + 1; i < close; i++)
        {
            var kind = tokens.KindAt(i);
            if (kind is SqlTokenKind.OpenParen or SqlTokenKind.OpenBracket) depth++;
            else if (kind is SqlTokenKind.CloseParen or SqlTokenKind.CloseBracket) depth--;
            else if (kind == SqlTokenKind.Comma && depth == 0) arguments++;
        }

        int? bodyLine = null;
        for (var i = tokens.IndexOfWord("AS", close + 1); i >= 0; i = tokens.IndexOfWord("AS", i + 1))
        {
            if (tokens.KindAt(i + 1) is SqlTokenKind.DollarString or SqlTokenKind.String)
            {
                bodyLine = significant[i + 1].Line;
                break;
            }
        }
        return new Creation(file, statement, parts.Count == 2 ? parts[0] : null, parts[^1], arguments, bodyLine);
    }

    // "public.f(a integer, b text)", "\"My Schema\".\"Odd, name\"(\"my arg\" integer)": the
    // schema and name unquoted, and the number of arguments.
    private static (string Schema, string Name, int Arguments)? ParseIdentity(string identity)
    {
        var position = 0;
        if (ReadIdentifier(identity, ref position) is not { } schema || position >= identity.Length || identity[position] != '.') return null;
        position++;
        if (ReadIdentifier(identity, ref position) is not { } name || position >= identity.Length || identity[position] != '(') return null;

        var arguments = 0;
        var depth = 0;
        var quoted = false;
        var empty = true;
        for (var i = position + 1; i < identity.Length - 1; i++)
        {
            var c = identity[i];
            if (c == '"') quoted = !quoted;
            else if (quoted) { }
            else if (c is '(' or '[') depth++;
            else if (c is ')' or ']') depth--;
            else if (c == ',' && depth == 0) arguments++;
            if (!char.IsWhiteSpace(c)) empty = false;
        }
        return (schema, name, empty ? 0 : arguments + 1);
    }

    // quote_ident's output: bare lower-case words, or double quotes with "" for a quote.
    private static string? ReadIdentifier(string text, ref int position)
    {
        if (position >= text.Length) return null;
        if (text[position] != '"')
        {
            var start = position;
            while (position < text.Length && text[position] is not ('.' or '(')) position++;
            return position > start ? text[start..position] : null;
        }
        var value = new StringBuilder();
        for (position++; position < text.Length; position++)
        {
            if (text[position] != '"') value.Append(text[position]);
            else if (position + 1 < text.Length && text[position + 1] == '"') value.Append(text[++position]);
            else
            {
                position++;
                return value.ToString();
            }
        }
        return null;
    }
}
