using Strata.Database;
using Strata.History;
using Strata.Sql;

namespace Strata.Running;

/// <summary>
/// Undoes what a statement-by-statement migration left when it stopped half-way (a failure, or an
/// interrupted run): its down section, one statement at a time, each in a transaction of its own
/// unless it must run alone. Which down statement matches which up statement cannot be known in
/// general, so each one is tried: a statement whose object is not there ("does not exist") had
/// nothing to undo and is passed over; any other error stops the undo, and the outcome names the
/// statement and what is left. A down written with IF EXISTS, as the strategy asks, never needs
/// the pass-over.
/// </summary>
internal static class PartialUndo
{
    // The SQLSTATEs that say the thing to undo was never done: undefined_table, undefined_column,
    // undefined_object, undefined_function, invalid_schema_name.
    private static readonly HashSet<string> NothingThere = ["42P01", "42703", "42704", "42883", "3F000"];

    public static async Task<UndoOutcome> RunAsync(DatabaseSession session, string downSql, RunSettings settings, CancellationToken cancellationToken)
    {
        var statements = SqlSplitter.Split(downSql).Statements;
        var runner = new StatementRunner(session);
        // A down that manages its own transactions cannot be taken apart statement by statement:
        // it runs as written, and stops at its first error.
        if (statements.Any(s => s.Facts.IsTransactionControl))
        {
            var whole = await runner.RunAsync(statements, Options(false, settings), Companion.None, cancellationToken);
            return whole.Failure is { } f
                ? new UndoOutcome(statements.Count, f.Committed, 0, Redacted(f.Statement?.Text, settings), Redacted(Describe(f), settings))
                : new UndoOutcome(statements.Count, statements.Count, 0, null, null);
        }
        int undone = 0, nothingToUndo = 0;
        foreach (var statement in statements)
        {
            var alone = !statement.Facts.RunsInTransaction;
            var result = await runner.RunAsync([statement], Options(!alone, settings), Companion.None, cancellationToken);
            if (result.Failure is null) { undone++; continue; }
            if (result.Failure.Error.SqlState is { } state && NothingThere.Contains(state)) { nothingToUndo++; continue; }
            return new UndoOutcome(statements.Count, undone, nothingToUndo, Redacted(statement.Text, settings), Redacted(Describe(result.Failure), settings));
        }
        return new UndoOutcome(statements.Count, undone, nothingToUndo, null, null);
    }

    /// <summary>
    /// Drops the INVALID indexes that appeared since <paramref name="invalidBefore"/> on the
    /// migration's own <paramref name="tables"/>: they serve no reads, cost every write, and IF NOT
    /// EXISTS would keep them. Returns the ones found and the ones still there afterwards.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Found, IReadOnlyList<string> Left)> DropLeftoverIndexesAsync(DatabaseSession session,
        IReadOnlyList<string> invalidBefore, IReadOnlyList<string> tables, RunSettings settings, CancellationToken cancellationToken)
    {
        var found = (await InvalidIndexes.ListAsync(session.Connection, cancellationToken)).Except(invalidBefore).ToList();
        foreach (var index in await InvalidIndexes.OnTablesAsync(session.Connection, found, tables, cancellationToken))
            await DropInvalidIndexAsync(session, index, settings, cancellationToken);
        var left = (await InvalidIndexes.ListAsync(session.Connection, cancellationToken)).Except(invalidBefore).ToList();
        return (found, left);
    }

    /// <summary>Drops one INVALID index with the run's lock timeout and retries; false when it could not.</summary>
    private static async Task<bool> DropInvalidIndexAsync(DatabaseSession session, string qualifiedIndex, RunSettings settings,
        CancellationToken cancellationToken)
    {
        var drop = SqlSplitter.Split($"DROP INDEX CONCURRENTLY IF EXISTS {qualifiedIndex}").Statements;
        var result = await new StatementRunner(session).RunAsync(drop, Options(false, settings), Companion.None, cancellationToken);
        return result.Failure is null;
    }

    private static StatementRunOptions Options(bool transactional, RunSettings settings) =>
        new(transactional, Autocommit: false, settings.LockTimeout, settings.StatementTimeout, settings.LockTries, settings.RetryPause, []);

    private static string Describe(StatementFailure failure) => $"{failure.Error.SqlState}: {failure.Error.MessageText}";

    private static string? Redacted(string? text, RunSettings settings) => text is null ? null : settings.Redactor.Redact(text);
}
