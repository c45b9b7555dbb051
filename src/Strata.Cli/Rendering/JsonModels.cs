using System.Text.Json.Serialization;

namespace Strata.Cli.Rendering;

// The shapes of --json output, documented in docs/json.md. Source-generated: no reflection,
// so the native binary serialises them without runtime metadata.

public sealed record ProblemJson(string Code, string Kind, string Message, string? File, int? Line, int? Column, string? Hint);
public sealed record ErrorsJson(int ExitCode, IReadOnlyList<ProblemJson> Errors);

public sealed record MigrationJson(
    string Version, string State, string? Description, DateTime? AppliedAt, string? AppliedBy, string? Checksum,
    string? FileChecksum, int? ExecutionTimeMs, string? Error, int? ErrorLine, bool Transactional, bool RecordedByStrata, bool HasFile,
    InterruptedJson? Interrupted = null);

public sealed record InterruptedJson(DateTime StartedAt, string? By, int CommittedStatements, string TookEffect, string Resolve);

public sealed record StatusJson(string Target, string HistoryTable, bool HistoryExists, IReadOnlyList<MigrationJson> Migrations, IReadOnlyDictionary<string, int> Counts)
{
    /// <summary>Files that could not be read, left out of <see cref="Migrations"/>; status then exits 2.</summary>
    public IReadOnlyList<ProblemJson>? Problems { get; init; }
}

public sealed record AppliedJson(string Version, string Description, int DurationMs, bool Transactional, int Statements, int LockRetries, IReadOnlyList<string> Notices,
    long LockWaitMs = 0, IReadOnlyList<BlockerJson>? Blockers = null);

/// <summary>A long transaction a migration waited for; its query text is shown to the operator on stderr, not put in data.</summary>
public sealed record BlockerJson(int Pid, string Application, long AgeMs, string State)
{
    public static IReadOnlyList<BlockerJson> From(IReadOnlyList<Strata.History.LockBlocker> blockers) =>
        [.. blockers.Select(b => new BlockerJson(b.Pid, b.Application, b.AgeMs, b.State))];
}

public sealed record FailureJson(string Version, string File, int? Line, int? Column, string? Sqlstate, string Message, string? Detail,
    string? Statement, string? SourceLine, bool Transactional, int CommittedStatements, IReadOnlyList<string> InvalidIndexes, string Advice,
    UndoJson? Undo = null, IReadOnlyList<string>? RemovedIndexes = null, string? Context = null, string? InternalQuery = null, int? InternalPosition = null,
    IReadOnlyList<string>? Notices = null, int LockRetries = 0, long LockWaitMs = 0, IReadOnlyList<BlockerJson>? Blockers = null, bool Blocked = false);

public sealed record UndoJson(bool Complete, int Statements, int Undone, int NothingToUndo, string? StoppedAt, string? Error)
{
    public static UndoJson? From(Strata.History.UndoOutcome? undo) =>
        undo is null ? null : new UndoJson(undo.Complete, undo.Statements, undo.Undone, undo.NothingToUndo, undo.StoppedAt, undo.Error);
}

public sealed record UpJson(string Target, bool DryRun, IReadOnlyList<string> Selected, IReadOnlyList<AppliedJson> Applied, FailureJson? Failure,
    ProblemJson? Refusal, int ExitCode);

public sealed record RolledBackJson(string Version, int DurationMs, bool Transactional, int Statements, UndoJson? Undo = null,
    IReadOnlyList<string>? InvalidIndexes = null);
public sealed record RollbackFailureJson(string Version, string? Sqlstate, string Message, string? Statement, bool Transactional, int CommittedStatements,
    IReadOnlyList<string> InvalidIndexes, UndoJson? Undo = null);
public sealed record RollbackJson(string Target, bool DryRun, IReadOnlyList<string> Selected, IReadOnlyList<RolledBackJson> RolledBack,
    RollbackFailureJson? Failure, ProblemJson? Refusal, int ExitCode, string? RevertFile = null);

public sealed record ChangeJson(string Version, string Change, string? Detail);
public sealed record ChangesJson(string Action, string Target, bool DryRun, IReadOnlyList<ChangeJson> Changes, ProblemJson? Refusal, int ExitCode);

public sealed record EventJson(long Id, string Version, string Action, DateTime At, string? By, string? Environment, int? DurationMs, string? Error);
public sealed record HistoryJson(string Target, IReadOnlyList<EventJson> Events);

public sealed record VerifyStepJson(string Name, string Status, int DurationMs, string? Detail, IReadOnlyList<string>? Differences);
public sealed record LockJson(string Relation, string Mode, bool Existed);
public sealed record StatementLocksJson(int Line, string Verb, int DurationMs, bool Observed, bool Flagged, IReadOnlyList<LockJson> Locks,
    IReadOnlyList<string> Rewrites);
public sealed record MigrationVerifyJson(string Version, string File, string Verdict, IReadOnlyList<VerifyStepJson> Steps, IReadOnlyList<StatementLocksJson> Locks);
public sealed record VerifyJson(string Scratch, bool Passed, string? StoppedAt, IReadOnlyList<string> Warnings, IReadOnlyList<MigrationVerifyJson> Migrations,
    int ExitCode);

public sealed record FindingJson(string Rule, string Severity, string Message, string Help, string File, int Line, int Column);
public sealed record LintJson(int Files, string Parser, IReadOnlyList<FindingJson> Findings, int Errors, int Warnings, int ExitCode);

public sealed record DeployStepJson(string Step, string Outcome, string Summary, long DurationMs, IReadOnlyList<string> Details);
public sealed record DeployJson(string Environment, string Target, bool DryRun, IReadOnlyList<string> Planned, IReadOnlyList<string> Applied,
    IReadOnlyList<DeployStepJson> Steps, string? Backup, bool RolledBack, bool? SchemaRestored, string? RollbackCommand, string? Report,
    ProblemJson? Refused, int ExitCode);

public sealed record ComparedEnvironmentJson(string Name, string Target, bool Reachable, ProblemJson? Problem);
public sealed record ComparedStateJson(string State, DateTime? AppliedAt, string? AppliedBy, string? Checksum, string? FileChecksum);
public sealed record ComparedMigrationJson(string Version, IReadOnlyDictionary<string, ComparedStateJson> Environments);
public sealed record InconsistencyJson(string Version, string Kind, string Message);
public sealed record ComparisonJson(IReadOnlyList<ComparedEnvironmentJson> Environments, IReadOnlyList<ComparedMigrationJson> Migrations,
    IReadOnlyList<InconsistencyJson> Inconsistencies);

public sealed record DevJson(string Action, bool Running, string? Url, string DataDirectory, int? Port);
public sealed record FileJson(string Action, string Path);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ErrorsJson))]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(UpJson))]
[JsonSerializable(typeof(RollbackJson))]
[JsonSerializable(typeof(ChangesJson))]
[JsonSerializable(typeof(HistoryJson))]
[JsonSerializable(typeof(DevJson))]
[JsonSerializable(typeof(VerifyJson))]
[JsonSerializable(typeof(LintJson))]
[JsonSerializable(typeof(FileJson))]
[JsonSerializable(typeof(DeployJson))]
[JsonSerializable(typeof(ComparisonJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
