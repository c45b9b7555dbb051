using System.Text.Json;

namespace Strata.Linting;

/// <summary>
/// The statements' parse trees from PostgreSQL's own parser (libpg_query), one statement at a
/// time, so each tree maps to the statement and its file position without offset arithmetic.
/// </summary>
internal static class ParseTrees
{
    /// <summary>True when libpg_query was loaded.</summary>
    public static bool Available => false;

    /// <summary>The statement's node, e.g. <c>{"IndexStmt": {...}}</c>; null without the parser or when it rejects the statement.</summary>
    public static JsonElement? NodeOf(Sql.SqlStatement statement) => null;

    /// <summary>A syntax finding when the parser rejects a statement the splitter accepted.</summary>
    public static RuleHit? Rejection(LintStatement statement) => null;
}
