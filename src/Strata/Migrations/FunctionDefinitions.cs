using System.Text;
using Strata.Sql;

namespace Strata.Migrations;

/// <summary>A CREATE [OR REPLACE] FUNCTION or PROCEDURE written in a migration file.</summary>
/// <param name="File">The file.</param>
/// <param name="Statement">The CREATE statement.</param>
/// <param name="Body">Its quoted body; null for a BEGIN ATOMIC body.</param>
internal sealed record FunctionDefinition(MigrationFile File, SqlStatement Statement, RoutineBody? Body);

/// <summary>
/// Which migration statement wrote a function the server names: verify maps plpgsql_check's
/// findings, and up an error raised inside a function, to the file line of the body.
/// </summary>
internal static class FunctionDefinitions
{
    /// <summary>
    /// The last CREATE [OR REPLACE] FUNCTION or PROCEDURE among <paramref name="statements"/>
    /// (in their order) that defines <paramref name="functionIdentity"/>, or null when none does
    /// (e.g. a preamble did, or dynamic SQL). The identity is as the server prints a routine:
    /// <c>public.f(n integer)</c>, <c>"My Schema"."Odd, name"(integer)</c>, or without a schema
    /// when the function is on the search_path (an error's CONTEXT).
    /// </summary>
    /// <remarks>
    /// Names match as PostgreSQL resolves them: unquoted parts fold to lower case, quoted parts keep
    /// theirs, and an unqualified name in a CREATE is taken as public (the usual search_path's first
    /// schema); when no CREATE names the function that way, an unqualified one with its name is
    /// taken (a migration may have SET search_path first). An identity without a schema matches a
    /// CREATE in any schema. Among overloads, a CREATE with as many arguments as the identity is
    /// preferred.
    /// </remarks>
    public static FunctionDefinition? Find(IEnumerable<(MigrationFile File, SqlStatement Statement)> statements, string functionIdentity)
    {
        if (ParseIdentity(functionIdentity) is not var (schema, name, arguments)) return null;

        Creation? exact = null, unqualified = null;
        foreach (var (file, statement) in statements)
        {
            if (statement.Facts.Verb is not ("CREATE FUNCTION" or "CREATE PROCEDURE")) continue;
            if (ReadCreation(file, statement) is not { } creation || creation.Name != name) continue;
            if (schema is null || creation.Schema == schema || (creation.Schema is null && schema == "public"))
                exact = Prefer(exact, creation, arguments);
            else if (creation.Schema is null)
                unqualified = Prefer(unqualified, creation, arguments);
        }
        return (exact ?? unqualified)?.Definition;
    }

    private sealed record Creation(FunctionDefinition Definition, string? Schema, string Name, int Arguments);

    // A later CREATE replaces an earlier one, unless only the earlier one has the right number of
    // arguments (the later one is then another overload).
    private static Creation Prefer(Creation? current, Creation candidate, int arguments) =>
        current is not null && current.Arguments == arguments && candidate.Arguments != arguments ? current : candidate;

    // CREATE [OR REPLACE] FUNCTION name ( arguments ) ... AS body: the name, the number of
    // arguments and the body.
    private static Creation? ReadCreation(MigrationFile file, SqlStatement statement)
    {
        var text = file.Up.Text;
        var tokens = new SignificantTokens(text, statement.Tokens);
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
        var definition = new FunctionDefinition(file, statement, RoutineBody.Of(text, statement));
        return new Creation(definition, parts.Count == 2 ? parts[0] : null, parts[^1], arguments);
    }

    // "public.f(a integer, b text)", "\"My Schema\".\"Odd, name\"(\"my arg\" integer)", "f(integer)":
    // the schema (null when not written) and name unquoted, and the number of arguments.
    private static (string? Schema, string Name, int Arguments)? ParseIdentity(string identity)
    {
        var position = 0;
        if (ReadIdentifier(identity, ref position) is not { } first || position >= identity.Length) return null;
        string? schema = null;
        var name = first;
        if (identity[position] == '.')
        {
            position++;
            if (ReadIdentifier(identity, ref position) is not { } second || position >= identity.Length) return null;
            (schema, name) = (first, second);
        }
        if (identity[position] != '(') return null;

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
