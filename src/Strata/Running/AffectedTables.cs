using Strata.History;
using Strata.Migrations;

namespace Strata.Running;

/// <summary>The tables a migration touches, recorded in its metadata for the audit trail.</summary>
internal static class AffectedTables
{
    private static readonly HashSet<string> TableVerbs = new(StringComparer.Ordinal)
    {
        "CREATE TABLE", "ALTER TABLE", "DROP TABLE", "CREATE INDEX", "INSERT", "UPDATE", "DELETE", "TRUNCATE",
        "COMMENT", "ANALYZE", "VACUUM", "CREATE POLICY", "ALTER POLICY", "DROP POLICY", "CREATE TRIGGER", "LOCK", "CLUSTER",
    };

    /// <summary>Tables a section's statements touch, history tables excluded, in first-seen order.</summary>
    public static IReadOnlyList<string> Of(MigrationSection section, HistoryTable table)
    {
        var seen = new List<string>();
        foreach (var statement in section.Statements)
        {
            if (statement.Facts.Target is not { } target || !TableVerbs.Contains(statement.Facts.Verb)) continue;
            if (IsHistoryTable(target, table)) continue;
            if (!seen.Contains(target)) seen.Add(target);
        }
        return seen;
    }

    /// <summary>True when a statement target names the history table or its events table.</summary>
    public static bool IsHistoryTable(string target, HistoryTable table) =>
        target == table.Name || target == table.Qualified || target == table.EventsName || target == $"{table.Schema}.{table.EventsName}";
}
