namespace Strata.Linting.Rules;

/// <summary>
/// varchar(n) and char(n) enforce a length by the type, and raising that length later used to
/// rewrite the table; text with a CHECK (length(...) &lt;= n) enforces the same and changes by
/// replacing the check. char(n) also pads with spaces.
/// </summary>
internal sealed class PreferText : LintRule
{
    public override string Name => "prefer-text";
    public override Severity DefaultSeverity => Severity.Warning;
    public override string Summary => "Use text with a CHECK on its length, not varchar(n) or char(n).";
    protected override IReadOnlyList<string> Nodes => ["CreateStmt", "AlterTableStmt"];
    public override bool ReadsDoBlocks => true;

    public override IEnumerable<RuleHit> Check(LintStatement statement, LintContext context)
    {
        var changed = statement.NodeType == "AlterTableStmt"
            ? statement.AlterCommandsOf("AT_AlterColumnType")
                .Select(c => c.TryGetProperty("def", out var def) && def.TryGetProperty("ColumnDef", out var column) ? (Column: column, Name: ParseTree.Text(c, "name")) : default)
                .Where(c => c.Column.ValueKind == System.Text.Json.JsonValueKind.Object)
            : [];
        // ALTER COLUMN ... TYPE varchar(n): the ColumnDef carries only the type; the name is the command's.
        foreach (var (column, name) in changed)
        {
            if (Sized(column) is { } type) yield return At(statement, Message(name, type));
        }
        foreach (var column in statement.ColumnDefinitions)
        {
            if (Sized(column) is { } type) yield return At(statement, Message(ParseTree.Text(column, "colname"), type));
        }
    }

    /// <summary>"char(n)" or "varchar(n)" when the column definition has such a type, else null.</summary>
    private static string? Sized(System.Text.Json.JsonElement column)
    {
        var type = ParseTree.TypeName(column);
        var sized = column.TryGetProperty("typeName", out var typeName) && typeName.TryGetProperty("typmods", out _);
        return type == "bpchar" ? "char(n)" : type == "varchar" && sized ? "varchar(n)" : null;
    }

    private static string Message(string? column, string type) => $"column {column} is {type}: use text with CHECK (length({column}) <= n).";
}
