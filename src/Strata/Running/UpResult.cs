using Strata.History;

namespace Strata.Running;

/// <summary>A migration that was applied.</summary>
/// <param name="Version">Its file name.</param>
/// <param name="Description">What it does.</param>
/// <param name="DurationMs">Wall time as Strata measured it.</param>
/// <param name="Transactional">It ran as one transaction.</param>
/// <param name="Statements">Statements in its up section.</param>
/// <param name="LockRetries">Retries it needed: lock timeouts, deadlocks and long transactions it waited for.</param>
/// <param name="Notices">Server notices it raised, in order.</param>
public sealed record AppliedMigration(
    string Version,
    string Description,
    int DurationMs,
    bool Transactional,
    int Statements,
    int LockRetries,
    IReadOnlyList<string> Notices)
{
    /// <summary>Long transactions it waited for before it could be sent (the blocker check), each session once.</summary>
    public IReadOnlyList<LockBlocker> Blockers { get; init; } = [];

    /// <summary>Milliseconds spent waiting for locks: blocked or timed-out attempts and the pauses between them.</summary>
    public long LockWaitMs { get; init; }
}

/// <summary>
/// Why a migration failed, located in its file: the statement, its line and column (mapped from
/// the server's error position), the SQLSTATE, and what was left behind.
/// </summary>
/// <param name="Version">The migration.</param>
/// <param name="File">Where it was read from.</param>
/// <param name="Line">The file line of the error, when known: inside a DO block's or function's body when the server says which line of it failed.</param>
/// <param name="Column">Its column.</param>
/// <param name="SqlState">PostgreSQL's SQLSTATE.</param>
/// <param name="Message">The server's message, redacted.</param>
/// <param name="Detail">The server's DETAIL, redacted.</param>
/// <param name="ServerHint">The server's HINT.</param>
/// <param name="Statement">The failing statement's text.</param>
/// <param name="Transactional">The file ran as one transaction, so nothing of it was kept.</param>
/// <param name="CommittedStatements">Statements that took effect before the failure.</param>
/// <param name="InvalidIndexes">INVALID indexes the failure left behind.</param>
/// <param name="LockRetries">Retries (lock timeouts, deadlocks, long transactions) before it gave up.</param>
/// <param name="SourceLine">The text of the file line the error points at, for a caret display.</param>
public sealed record MigrationFailure(
    string Version,
    string File,
    int? Line,
    int? Column,
    string? SqlState,
    string Message,
    string? Detail,
    string? ServerHint,
    string? Statement,
    bool Transactional,
    int CommittedStatements,
    IReadOnlyList<string> InvalidIndexes,
    int LockRetries,
    string? SourceLine = null)
{
    /// <summary>
    /// The stored rollback Strata ran by itself because statements of this statement-by-statement
    /// migration had taken effect (DESIGN §3); null when there was nothing to undo, or no down section.
    /// </summary>
    public UndoOutcome? Undo { get; init; }

    /// <summary>INVALID indexes the attempt left that Strata dropped afterwards (those it could not drop stay in <see cref="InvalidIndexes"/>).</summary>
    public IReadOnlyList<string> RemovedIndexes { get; init; } = [];

    /// <summary>
    /// The server's CONTEXT, redacted: the call stack of an error raised inside a DO block or a
    /// function ("PL/pgSQL function inline_code_block line 5 at RAISE"), innermost frame first,
    /// one per line. Null for an error of the statement itself.
    /// </summary>
    public string? Context { get; init; }

    /// <summary>The SQL a DO block or function was running when it failed (the server's internal query), redacted.</summary>
    public string? InternalQuery { get; init; }

    /// <summary>The server's 1-based character position of the error in <see cref="InternalQuery"/>.</summary>
    public int? InternalPosition { get; init; }

    /// <summary>Notices and warnings the migration's statements raised before the failure, in order.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];

    /// <summary>
    /// Long transactions it waited for, each session once; when they outlasted the tries
    /// (<see cref="Blocked"/>), those still there at the last one, and the statement was never sent.
    /// </summary>
    public IReadOnlyList<LockBlocker> Blockers { get; init; } = [];

    /// <summary>The migration stopped because long transactions held its tables through every try, not because the server refused a statement.</summary>
    public bool Blocked { get; init; }

    /// <summary>Milliseconds spent waiting for locks: blocked or timed-out attempts and the pauses between them.</summary>
    public long LockWaitMs { get; init; }

    /// <summary>What the user should do next.</summary>
    public string Advice => Blocked
        ? (Transactional || CommittedStatements == 0 ? "Nothing of this migration ran. " : $"Its first {CommittedStatements} statement(s) had taken effect{(Undo is { } u ? $"; {u.Summary}" : "")}. ")
          + BlockerCheck.Advice(Blockers)
        : Transactional
        ? "Nothing of this migration was kept. Fix the file and run 'strata up' again."
        : Undo is { Complete: true }
            ? $"Its first {CommittedStatements} statement(s) had taken effect; Strata ran its rollback ({Undo.Summary}), so nothing of it is left. Fix the file and run 'strata up' again."
            : Undo is { } partial
                ? $"Its first {CommittedStatements} statement(s) had taken effect and the automatic rollback did not finish: {partial.Summary}. " +
                  "Undo the rest by hand (the down section from that statement on), then run 'strata up' again."
                : CommittedStatements == 0
                    ? "No statement of this migration took effect. Fix the file and run 'strata up' again."
                    : $"The first {CommittedStatements} statement(s) ran outside a transaction and were kept (the file has no down section to undo them); " +
                      "make the file idempotent (IF NOT EXISTS) or undo them, then run 'strata up' again.";

    /// <summary>
    /// The account the CLI prints after <c>error: </c>: where, which migration, the SQLSTATE and
    /// message, the server's detail, the line with a caret, what was undone or left, and what to do.
    /// </summary>
    public override string ToString() => RunProblems.MigrationFailed(this).ToString();
}

/// <summary>The outcome of <c>up</c>: what ran, what failed, or why nothing was allowed to run.</summary>
/// <param name="Plan">The plan as it stood when the lock was taken; null when the run was refused before reading it.</param>
/// <param name="Selected">The migrations selected to run (all that ran, or would run in a dry run).</param>
/// <param name="Applied">Migrations applied by this run, in order.</param>
/// <param name="Failure">The migration that failed, if any; later ones did not run.</param>
/// <param name="DryRun">True when nothing was written.</param>
public sealed record UpResult(
    MigrationPlan? Plan,
    IReadOnlyList<PlanEntry> Selected,
    IReadOnlyList<AppliedMigration> Applied,
    MigrationFailure? Failure,
    bool DryRun) : OperationResult
{
    /// <summary>A run stopped before anything ran.</summary>
    public static UpResult Refused(params IReadOnlyList<Problem> refusals) => new(null, [], [], null, false) { Refusals = refusals };

    /// <summary>The target, password-free (set by the project that ran it).</summary>
    public string Target { get; init; } = "";

    /// <summary>
    /// Returns this result when every selected migration was applied; throws a
    /// <see cref="StrataException"/> when the run was refused (every refusal) or a migration
    /// failed (kind <see cref="ProblemKind.OperationFailed"/>, code <c>migration-failed</c>, the
    /// failure's account as its message).
    /// </summary>
    public override UpResult EnsureSucceeded()
    {
        base.EnsureSucceeded();
        return Failure is { } failure ? throw new StrataException(RunProblems.MigrationFailed(failure)) : this;
    }
}
