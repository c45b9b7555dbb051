using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.History;

/// <summary>
/// What Strata writes to <c>schema_versions.metadata</c> and to each event's <c>details</c>
/// (DESIGN §2). Serialised by a source-generated context (no reflection, so the native binary
/// needs no serializer metadata) and read back as the same record.
/// </summary>
public sealed record MigrationMetadata
{
    /// <summary>The marker that tells Strata's rows from rows a team wrote by hand.</summary>
    public const string StrataTool = "strata";

    /// <summary>Always <c>strata</c> for Strata's own rows.</summary>
    public string Tool { get; init; } = StrataTool;

    /// <summary>Strata's version.</summary>
    public string? ToolVersion { get; init; }

    /// <summary>What wrote this: <c>apply</c>, <c>fail</c>, <c>rollback</c>, <c>repair</c>, <c>baseline</c>.</summary>
    public string? Action { get; init; }

    /// <summary>The environment name, when the target came from one.</summary>
    public string? Environment { get; init; }

    /// <summary>The commit of the migrations folder, when known.</summary>
    public string? GitCommit { get; init; }

    // The facts of an apply are nullable so that a later action's metadata (a rollback, a repair)
    // carries only its own keys and merges over the row's without erasing them.

    /// <summary>Statements in the up section.</summary>
    public int? StatementCount { get; init; }

    /// <summary>Whether the up section ran as one transaction.</summary>
    public bool? Transactional { get; init; }

    /// <summary>Retries the attempt needed: lock timeouts, deadlocks and long transactions the blocker check waited for.</summary>
    public int? LockRetries { get; init; }

    /// <summary>
    /// Long transactions the attempt waited for (the blocker check), each session once; absent
    /// when it met none. Their query text is not kept: it is another application's SQL.
    /// </summary>
    public IReadOnlyList<LockBlocker>? Blockers { get; init; }

    /// <summary>Milliseconds spent waiting for locks: blocked or timed-out attempts and the pauses between them; absent when there was no wait.</summary>
    public long? LockWaitMs { get; init; }

    /// <summary><c>stored</c>, <c>none</c>, <c>irreversible</c>, or <c>recorded_by_file</c> when the rollback SQL came from the file's own INSERT.</summary>
    public string? Rollback { get; init; }

    /// <summary>Tables the up section touches, history tables excluded.</summary>
    public IReadOnlyList<string>? AffectedTables { get; init; }

    /// <summary>Why the attempt failed; absent when it did not.</summary>
    public MigrationError? Error { get; init; }

    /// <summary>For progress events: statements of a statement-by-statement run that have taken effect.</summary>
    public int? CommittedStatements { get; init; }

    /// <summary>For start events: INVALID indexes that existed before the run, so the ones it leaves are known.</summary>
    public IReadOnlyList<string>? InvalidIndexesBefore { get; init; }

    /// <summary>Set by <c>repair</c> on a row whose file was removed on purpose: no longer drift.</summary>
    public bool? FileRemoved { get; init; }

    /// <summary>
    /// The down section Strata ran by itself after a statement-by-statement attempt stopped
    /// half-way, and how far it got; absent when nothing had to be undone.
    /// </summary>
    public UndoOutcome? Undo { get; init; }

    /// <summary>On a revert migration's row (<c>rollback --as-migration</c>): the migration it reverts.</summary>
    public string? Reverts { get; init; }

    /// <summary>On a reverted migration's row: the forward migration that rolled it back. <c>up</c> leaves it alone while that one is applied.</summary>
    public string? RevertedBy { get; init; }

    /// <summary>Why a migration was rolled back or repaired, as the operator said.</summary>
    public string? Reason { get; init; }

    /// <summary>The deploy gates overridden when this row was applied (<c>deploy --override</c>); <see cref="Reason"/> says why.</summary>
    public IReadOnlyList<string>? Overrides { get; init; }

    /// <summary>The JSON text stored in the database.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, HistoryJsonContext.Default.MigrationMetadata);

    /// <summary>
    /// Whether the JSON's top-level <c>tool</c> is <c>strata</c>, without reading the rest: enough
    /// to know who wrote a row, for the thousand rows of a no-op run. <see cref="Read"/> is the
    /// full reading, which also refuses metadata whose other keys are malformed.
    /// </summary>
    public static bool NamesStrata(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return false;
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTool = reader.ValueTextEquals("tool"u8);
                if (!reader.Read()) return false;
                if (isTool) return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(StrataTool);
                reader.Skip();
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Strata's metadata from a row, or null when the row is not Strata's (a hand-inserted row may
    /// hold any JSON, or none).
    /// </summary>
    public static MigrationMetadata? Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            var metadata = JsonSerializer.Deserialize(json, HistoryJsonContext.Default.MigrationMetadata);
            return metadata?.Tool == StrataTool ? metadata : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A failed attempt, as recorded: the server's error located in the file.</summary>
/// <param name="Message">The server's message, redacted.</param>
/// <param name="Sqlstate">PostgreSQL's SQLSTATE.</param>
/// <param name="Line">The file line of the error, when known.</param>
/// <param name="Column">Its column.</param>
/// <param name="Detail">The server's DETAIL, redacted.</param>
/// <param name="CommittedStatements">Statements that took effect before the failure (statement-by-statement files).</param>
/// <param name="InvalidIndexes">INVALID indexes the attempt left behind, schema-qualified.</param>
public sealed record MigrationError(
    string Message,
    string? Sqlstate,
    int? Line,
    int? Column,
    string? Detail,
    int CommittedStatements,
    IReadOnlyList<string> InvalidIndexes)
{
    /// <summary>The server's CONTEXT (the call stack of an error inside a DO block or function), redacted.</summary>
    public string? Context { get; init; }

    /// <summary>The SQL the DO block or function was running, redacted.</summary>
    public string? InternalQuery { get; init; }

    /// <summary>The error's 1-based character position in <see cref="InternalQuery"/>.</summary>
    public int? InternalPosition { get; init; }
}

/// <summary>
/// Another session whose transaction, open longer than <c>long_tx</c>, held a lock on a table a
/// migration was about to lock strongly: Strata waited instead of queueing behind it.
/// </summary>
/// <param name="Pid">Its backend pid (for <c>pg_terminate_backend</c>, should an operator decide so).</param>
/// <param name="Application">Its application_name; empty when it set none.</param>
/// <param name="AgeMs">How long its transaction had been open when last seen, in milliseconds.</param>
/// <param name="State">Its pg_stat_activity state: <c>active</c>, <c>idle in transaction</c>, ...</param>
public sealed record LockBlocker(int Pid, string Application, long AgeMs, string State)
{
    /// <summary>When its current (or last) query started; not recorded in history.</summary>
    [JsonIgnore]
    public DateTime? QueryStart { get; init; }

    /// <summary>The first line of its query, shortened; for the operator's eyes, not recorded in history.</summary>
    [JsonIgnore]
    public string? Query { get; init; }

    /// <summary>The tables it holds locks on, among those the migration needs; not recorded in history.</summary>
    [JsonIgnore]
    public string? Tables { get; init; }

    /// <summary><c>pid 1234 (application 'report-job', transaction open 14.2 s, idle in transaction)</c>.</summary>
    [JsonIgnore]
    public string Summary => $"pid {Pid} (application '{Application}', transaction open {Seconds(AgeMs)} s, {State})";

    private static string Seconds(long ms) => (ms / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>How far an undo of a half-applied migration got (its down section, run statement by statement).</summary>
/// <param name="Statements">Statements in the down section.</param>
/// <param name="Undone">Statements that ran.</param>
/// <param name="NothingToUndo">Statements passed over because their object was not there: that part of up never took effect.</param>
/// <param name="StoppedAt">The down statement that failed; null when the undo completed.</param>
/// <param name="Error">Its error, redacted; null when the undo completed.</param>
public sealed record UndoOutcome(int Statements, int Undone, int NothingToUndo, string? StoppedAt, string? Error)
{
    /// <summary>Every down statement ran or had nothing to undo.</summary>
    [JsonIgnore]
    public bool Complete => Error is null;

    /// <summary>What the undo did, in words.</summary>
    [JsonIgnore]
    public string Summary => Complete
        ? $"its down section ran: {Undone} statement(s) undone" + (NothingToUndo > 0 ? $", {NothingToUndo} with nothing to undo" : "")
        : $"its down section stopped after {Undone + NothingToUndo} of {Statements} statement(s) at: {Excerpt(StoppedAt)} ({Error})";

    private static string Excerpt(string? statement)
    {
        var line = (statement ?? "").Split('\n')[0].Trim();
        return line.Length > 100 ? line[..97] + "..." : line;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MigrationMetadata))]
[JsonSerializable(typeof(DeployEvent))]
internal sealed partial class HistoryJsonContext : JsonSerializerContext;

/// <summary>The details of a <c>deploy</c> event.</summary>
/// <param name="Step">validate, promotion, window, confirm, backup, apply, post-checks, smoke, rollback.</param>
/// <param name="Outcome">passed, overridden, skipped or failed.</param>
/// <param name="Summary">What the step decided.</param>
/// <param name="Details">Its detail lines.</param>
/// <param name="Overrides">The gates the deploy was told to pass, if any.</param>
/// <param name="Reason">Why.</param>
internal sealed record DeployEvent(string Step, string Outcome, string Summary, IReadOnlyList<string> Details, IReadOnlyList<string>? Overrides, string? Reason);
