using System.Diagnostics;
using Npgsql;
using Strata.Configuration;
using Strata.Database;
using Strata.History;
using Strata.Migrations;
using Strata.Running;

namespace Strata.Verification;

/// <summary>
/// The strategy's test cycle, automated on a scratch database, for each migration in order:
/// snapshot S0; apply, snapshot S1; run the up section again as <c>up</c> would (it must succeed
/// and leave S1: idempotency, as the checklist demands); roll back, which must leave S0; apply
/// again, which must leave S1. Every step goes through the same code as <c>up</c> and
/// <c>rollback</c>, so what verify proves is what a deploy will do.
/// </summary>
internal sealed class Verifier(DatabaseSession session, MigrationSet set, RunSettings settings, VerifySettings verify)
{
    private readonly SnapshotOptions _snapshots = SnapshotOptions.For(settings.Table);

    // The last snapshot taken since the scratch database last changed: the next migration's S0
    // is the previous one's final snapshot, read once instead of twice.
    private SchemaSnapshot? _current;

    // False when plpgsql_check cannot be installed on the scratch server: a warning, not a failure.
    private bool _checkFunctions;

    public async Task<VerifyResult> RunAsync(string scratch, string? from, Action<MigrationVerification>? progress, CancellationToken cancellationToken)
    {
        var files = set.Files;
        var start = from is null ? 0 : files.ToList().FindIndex(f => f.Version == set.Find(from)!.Version);
        var done = new List<MigrationVerification>();
        var warnings = new List<string>();
        if (verify.PreambleSql is { } preamble) await RunPreambleAsync(preamble, cancellationToken);
        _checkFunctions = await FunctionBodyCheck.TryInstallAsync(session.Connection, cancellationToken);
        if (!_checkFunctions) warnings.Add(ScratchContentProblems.FunctionChecksUnavailable(session.Connection.PostgreSqlVersion.Major).ToString());
        if (files.Count == 0) return new VerifyResult(scratch, done, null, warnings);
        if (start > 0)
        {
            var before = await UpAsync(files[start - 1], cancellationToken);
            if (before.Failure is { } failure)
                return new VerifyResult(scratch, done, $"the migrations before {files[start].Version} do not apply: {Describe(failure)}", warnings);
        }
        else if (!Migrator.CreatesHistoryTable(files[0], settings.Table))
        {
            // up creates the history table before the first migration; created here, it is part
            // of S0 and never shows as a difference of the first migration.
            await HistoryStore.EnsureAsync(session, settings.Table, cancellationToken);
        }
        for (var i = start; i < files.Count; i++)
        {
            var (verification, stop) = await VerifyAsync(files[i], cancellationToken);
            done.Add(verification);
            progress?.Invoke(verification);
            if (stop is not null) return new VerifyResult(scratch, done, stop, warnings);
        }
        return new VerifyResult(scratch, done, null, warnings);
    }

    /// <summary>Verifies one migration; the second value says why verification cannot go on after it.</summary>
    private async Task<(MigrationVerification, string?)> VerifyAsync(MigrationFile file, CancellationToken cancellationToken)
    {
        var steps = new List<VerifyStep>();
        LockTracer? tracer = null;
        MigrationVerification Result() => new(file.Version, file.Path, steps) { Locks = tracer?.Statements ?? [] };
        var clock = Stopwatch.StartNew();
        var s0 = _current ?? await SnapshotAsync(cancellationToken);

        tracer = await LockTracer.StartAsync(session.Connection, settings.Table, cancellationToken);
        var applied = await UpAsync(file, cancellationToken, tracer.OnStatementAsync);
        if (applied.Failure is { } failed)
        {
            steps.Add(new VerifyStep("apply", StepStatus.Failed, Lap(clock), Describe(failed) + SupabaseHint(failed)));
            return (Result(), $"{file.Version} does not apply, so the migrations after it cannot be verified");
        }
        var s1 = await SnapshotAsync(cancellationToken);
        steps.Add(new VerifyStep("apply", StepStatus.Passed, Lap(clock)));
        if (_checkFunctions && await FunctionsAsync(s0, s1, cancellationToken) is { } functions) steps.Add(functions with { DurationMs = Lap(clock) });
        if (await AssertionsAsync(file, "assertions", cancellationToken) is { } assertions) steps.Add(assertions with { DurationMs = Lap(clock) });

        var (idempotency, stop) = await IdempotencyAsync(file, s1, cancellationToken);
        steps.Add(idempotency with { DurationMs = Lap(clock) });
        if (stop is not null) return (Result(), stop);

        if (RollbackSkipped(file) is { } why)
        {
            steps.Add(new VerifyStep("rollback", StepStatus.Skipped, 0, why));
            steps.Add(new VerifyStep("re-apply", StepStatus.Skipped, 0, "nothing was rolled back"));
            return (Result(), null);
        }
        _current = null;
        var rollback = await RollbackRunner.RunAsync(session, set, new RollbackOptions(file.Version, Reason: "strata verify"), settings, cancellationToken);
        if (rollback.Refusals is [{ Code: "history-bootstrap" or "irreversible" } skipped])
        {
            steps.Add(new VerifyStep("rollback", StepStatus.Skipped, Lap(clock), skipped.Message));
            steps.Add(new VerifyStep("re-apply", StepStatus.Skipped, 0, "nothing was rolled back"));
            return (Result(), null);
        }
        if (rollback.IsRefused || rollback.Failure is not null || rollback.RolledBack.Count == 0)
        {
            var detail = rollback.IsRefused ? rollback.Refusals[0].Message
                : rollback.Failure is { } f ? $"the rollback failed: {f.SqlState}: {f.Message}" + (f.Statement is null ? "" : $" (statement: {FirstLine(f.Statement)})")
                : "nothing was rolled back";
            steps.Add(new VerifyStep("rollback", StepStatus.Failed, Lap(clock), detail));
            // A refused rollback ran nothing; a failed one leaves the scratch database in a state
            // no later migration was written for.
            return (Result(), rollback.Failure is null ? null : $"the rollback of {file.Version} failed, so the scratch database is in an unknown state");
        }
        var s2 = await SnapshotAsync(cancellationToken);
        steps.Add(Compare("rollback", s0, s2, "before", "after rollback", Lap(clock), StepStatus.Failed));

        var again = await UpAsync(file, cancellationToken);
        if (again.Failure is { } refailed)
        {
            steps.Add(new VerifyStep("re-apply", StepStatus.Failed, Lap(clock), Describe(refailed)));
            return (Result(), $"{file.Version} does not apply again after its rollback, so the migrations after it cannot be verified");
        }
        var s3 = await SnapshotAsync(cancellationToken);
        steps.Add(Compare("re-apply", s1, s3, "after the first apply", "after re-apply", Lap(clock), StepStatus.Failed));
        if (await AssertionsAsync(file, "assertions after re-apply", cancellationToken) is { } reasserted) steps.Add(reasserted with { DurationMs = Lap(clock) });
        return (Result(), null);
    }

    /// <summary>
    /// Runs the up section again as <c>up</c> would run it on a database where the migration is
    /// not recorded (its own <c>INSERT INTO schema_versions</c> must not collide), and checks that
    /// it succeeds and changes nothing. A failed attempt is repaired so the next steps start from S1.
    /// </summary>
    private async Task<(VerifyStep, string?)> IdempotencyAsync(MigrationFile file, SchemaSnapshot s1, CancellationToken cancellationToken)
    {
        var severity = verify.Idempotency == IdempotencyRule.Warn ? StepStatus.Warning : StepStatus.Failed;
        await MarkRolledBackAsync(file.Version, cancellationToken);
        var rerun = await UpAsync(file, cancellationToken);
        if (rerun.Failure is null)
            return (Compare("idempotency", s1, await SnapshotAsync(cancellationToken), "after the first apply", "after running it again", 0, severity), null);

        var step = new VerifyStep("idempotency", severity, 0, $"running it a second time failed: {Describe(rerun.Failure)}");
        // A one-transaction file kept nothing of the second run; a statement-by-statement one
        // had its rollback run by up. Either way the migration is applied again from here.
        var restored = rerun.Failure.Transactional ? await MarkAppliedAsync(file.Version, cancellationToken) : (await UpAsync(file, cancellationToken)).Failure is null;
        if (!restored || !(await SnapshotAsync(cancellationToken)).Equals(s1))
            return (step, $"the scratch database could not be brought back to {file.Version} applied after its second run failed");
        return (step, null);
    }

    /// <summary>
    /// Checks the PL/pgSQL bodies this migration created or changed with plpgsql_check: a body
    /// CREATE accepted can still name a column or function that does not exist, which shows only
    /// when it is called. Null when the migration touched no function.
    /// </summary>
    private async Task<VerifyStep?> FunctionsAsync(SchemaSnapshot before, SchemaSnapshot after, CancellationToken cancellationToken)
    {
        var changed = after.Objects
            .Where(o => o.Kind is SnapshotKinds.Function or SnapshotKinds.Procedure && !o.Equals(before.Find(o.Kind, o.Identity)))
            .Select(o => o.Identity).ToList();
        if (changed.Count == 0) return null;
        var problems = (await FunctionBodyCheck.CheckAsync(session.Connection, changed, cancellationToken)).Where(p => p.IsError).ToList();
        if (problems.Count == 0) return new VerifyStep("functions", StepStatus.Passed, 0);
        var lines = problems.Select(p =>
        {
            var where = FunctionBodyCheck.Locate(set.Files, p.Function, p.BodyLine) is { } located ? $"{located.File}:{located.Line}: " : "";
            return $"{where}function {p.Function}: {p.Sqlstate}: {p.Message}" + (p.Table is null ? "" : $" (as trigger of {p.Table})");
        });
        return new VerifyStep("functions", StepStatus.Failed, 0,
            $"{problems.Select(p => p.Function).Distinct().Count()} function(s) will fail when called (plpgsql_check)", [.. lines]);
    }

    /// <summary>The file's <c>-- migrate:verify</c> queries (see <see cref="VerifyAssertions"/>); null when it has none.</summary>
    private async Task<VerifyStep?> AssertionsAsync(MigrationFile file, string step, CancellationToken cancellationToken)
    {
        if (file.Verify is not { } section) return null;
        var failures = await VerifyAssertions.RunAsync(session, file, cancellationToken);
        return failures.Count == 0
            ? new VerifyStep(step, StepStatus.Passed, 0)
            : new VerifyStep(step, StepStatus.Failed, 0, $"{failures.Count} of the file's {section.Statements.Count} verify queries did not hold", failures);
    }

    /// <summary>The project's scratch preamble (e.g. the built-in Supabase one), statement by statement, before any snapshot.</summary>
    private async Task RunPreambleAsync(string sql, CancellationToken cancellationToken)
    {
        var statements = Strata.Sql.SqlSplitter.Split(sql).Statements;
        var options = new StatementRunOptions(false, Autocommit: true, settings.LockTimeout, settings.StatementTimeout, settings.LockTries, settings.RetryPause, []);
        var result = await new StatementRunner(session).RunAsync(statements, options, Companion.None, cancellationToken);
        if (result.Failure is { } failure)
            throw new StrataException(VerificationProblems.PreambleFailed(failure.Statement?.Line, failure.Error.SqlState, failure.Error.MessageText));
    }

    /// <summary>
    /// A migration written for Supabase fails on a plain scratch database on what every Supabase
    /// project has (schema auth, role authenticated, auth.uid()): say which preamble provides it.
    /// </summary>
    private string SupabaseHint(MigrationFailure failure)
    {
        if (verify.PreambleSql is not null) return "";
        var message = failure.Message;
        var supabase = failure.SqlState switch
        {
            "3F000" => message.Contains("\"auth\"") || message.Contains("\"storage\"") || message.Contains("\"extensions\""),
            "42704" => message.Contains("\"anon\"") || message.Contains("\"authenticated\"") || message.Contains("\"service_role\""),
            "42883" or "42P01" => message.Contains("auth.") || message.Contains("storage."),
            _ => false,
        };
        return supabase
            ? ". This folder looks written for Supabase, whose databases already have it: set [scratch] preamble = \"supabase\" in strata.toml"
            : "";
    }

    private static string? RollbackSkipped(MigrationFile file) => file.Irreversible
        ? "declared irreversible ('-- migrate:down irreversible')"
        : null;

    private VerifyStep Compare(string step, SchemaSnapshot expected, SchemaSnapshot actual, string expectedLabel, string actualLabel, int durationMs,
        StepStatus whenDifferent)
    {
        // Column order is not compared: a rollback that re-adds a dropped column can only put it
        // last (PostgreSQL cannot move a column without rebuilding the table), so the strategy's
        // own two-phase drop would never verify. Everything else about the column is compared.
        var differences = SchemaDiff.Compare(expected, actual, expectedLabel, actualLabel)
            .Where(d => !(d.Kind == SnapshotKinds.Column && d.Attribute == "position")).ToList();
        return differences.Count == 0
            ? new VerifyStep(step, StepStatus.Passed, durationMs)
            : new VerifyStep(step, whenDifferent, durationMs, StepDetail(step), [.. differences.Select(d => d.Text)]);
    }

    private static string StepDetail(string step) => step switch
    {
        "idempotency" => "running it a second time changed the schema",
        "rollback" => "the rollback does not return the schema to what it was before the migration",
        _ => "applying it again after its rollback does not give the schema of the first apply",
    };

    private Task<UpResult> UpAsync(MigrationFile last, CancellationToken cancellationToken, Func<StatementTrace, CancellationToken, Task>? onStatement = null)
    {
        _current = null;
        return Migrator.UpAsync(session, set, last, new UpOptions(), settings, null, cancellationToken, onStatement);
    }

    private async Task<SchemaSnapshot> SnapshotAsync(CancellationToken cancellationToken) =>
        _current = await SchemaSnapshot.ReadAsync(session.Connection, _snapshots, cancellationToken);

    private async Task MarkRolledBackAsync(string version, CancellationToken cancellationToken) =>
        await SetStatusAsync(version, HistoryStatus.RolledBack, cancellationToken);

    private async Task<bool> MarkAppliedAsync(string version, CancellationToken cancellationToken) =>
        await SetStatusAsync(version, HistoryStatus.Applied, cancellationToken) == 1;

    private async Task<int> SetStatusAsync(string version, string status, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"UPDATE {settings.Table.Sql} SET status = $2 WHERE version = $1", session.Connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = version });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = status });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Describe(MigrationFailure failure) =>
        $"{(failure.Line is { } line ? $"{failure.File}:{line}: " : "")}{failure.SqlState}: {failure.Message}";

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static int Lap(Stopwatch clock)
    {
        var ms = (int)clock.ElapsedMilliseconds;
        clock.Restart();
        return ms;
    }
}

/// <summary>The project's <c>[verify]</c> settings that change verdicts.</summary>
/// <param name="Idempotency">Whether a migration that cannot run twice fails or only warns.</param>
/// <param name="PreambleSql">SQL run on the scratch database before anything else (<c>[scratch] preamble</c>).</param>
internal sealed record VerifySettings(IdempotencyRule Idempotency, string? PreambleSql = null);
