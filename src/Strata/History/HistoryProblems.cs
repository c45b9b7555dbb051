namespace Strata.History;

/// <summary>
/// Every problem with the history tables themselves, each worded in one place. A wrong shape is
/// bad input (exit 2) found from the catalog before anything is written, so none of these leaves
/// a table, index or row behind.
/// </summary>
internal static class HistoryProblems
{
    private const string Unchanged = "Nothing was run, created or changed.";

    public static Problem HistoryTableShape(HistoryTable table, IReadOnlyList<ShapeFault> faults) => new(ProblemKind.BadInput, "history-table-shape",
        $"the history table {table.Qualified} cannot be used as it is: {string.Join("; ", faults.Select(f => f.What))}. {Unchanged}",
        Hint: $"Fix it ({string.Join("; ", faults.Select(f => f.Fix))}), or set [migrations] table to a name Strata may create; " +
              "docs/commands.md#schema_versions shows the table Strata expects.");

    public static Problem EventsTableShape(HistoryTable table, IReadOnlyList<ShapeFault> faults) => new(ProblemKind.BadInput, "events-table-shape",
        $"the events table {table.EventsQualified} (the audit trail of {table.Qualified}) cannot be used as it is: " +
        $"{string.Join("; ", faults.Select(f => f.What))}. {Unchanged}",
        Hint: $"Fix it ({string.Join("; ", faults.Select(f => f.Fix))}), or set [migrations] events_table to a name Strata may create; " +
              "docs/commands.md#schema_version_events shows the table Strata expects.");

    public static Problem SameName(HistoryTable table) => new(ProblemKind.BadInput, "bad-events-table",
        $"the events table is configured with the history table's own name ({table.Qualified}): the audit trail needs a table of its own.",
        Hint: $"Remove [migrations] events_table (the default is {HistoryTable.DefaultEventsName(table.Name)}) or give it another name.");

    public static Problem BadEventsName(string name) => new(ProblemKind.BadInput, "bad-events-table",
        $"'{name}' is not an events table name: [migrations] events_table is the name alone, in the history table's schema.",
        Hint: "Write it without a schema, e.g. events_table = \"schema_version_events\", or remove it to use the default.");

    public static Problem UnknownStatus(HistoryTable table, IReadOnlyList<(string Version, string Status)> rows)
    {
        var shown = rows.GroupBy(r => r.Status, StringComparer.Ordinal)
            .Select(g => $"'{g.Key}' ({string.Join(", ", g.Take(3).Select(r => r.Version))}{(g.Count() > 3 ? $" and {g.Count() - 3} more" : "")})");
        var first = rows[0].Status.Replace("'", "''");
        return new Problem(ProblemKind.BadInput, "unknown-history-status",
            $"the history table {table.Qualified} holds status values Strata does not know: {string.Join(", ", shown)}. " +
            $"Strata cannot tell whether such a migration is in effect. {Unchanged}",
            Hint: $"Set each of those rows to {HistoryStatus.Applied}, {HistoryStatus.RolledBack} or {HistoryStatus.Failed} (a NULL status reads as {HistoryStatus.Applied}), " +
                  $"e.g. UPDATE {table.Qualified} SET status = '{HistoryStatus.Applied}' WHERE status = '{first}';");
    }

    /// <summary>
    /// A history table is missing and the role may not create it. <paramref name="onDatabase"/>:
    /// the schema is missing too, and creating a schema needs CREATE on the database.
    /// </summary>
    public static Problem CannotCreate(HistoryTable table, IReadOnlyList<string> missing, string role, string database, bool onDatabase)
    {
        var grant = onDatabase
            ? $"GRANT CREATE ON DATABASE {HistoryTable.Quote(database)} TO {HistoryTable.Quote(role)};"
            : $"GRANT CREATE ON SCHEMA {HistoryTable.Quote(table.Schema)} TO {HistoryTable.Quote(role)};";
        var needs = onDatabase ? $"CREATE on database {database} (the schema {table.Schema} does not exist either)" : $"CREATE on schema {table.Schema}";
        return new Problem(ProblemKind.OperationFailed, "missing-privilege",
            $"{string.Join(" and ", missing)} {(missing.Count == 1 ? "does" : "do")} not exist yet, and role {role} may not create " +
            $"{(missing.Count == 1 ? "it" : "them")}: that needs {needs}. {Unchanged}",
            Hint: $"Run the first 'strata up' as a role that may ({(onDatabase ? "e.g. the database owner" : "e.g. the schema's owner")}), or grant it: {grant} " +
                  "docs/commands.md#privileges lists what a deploy role needs.");
    }
}
