using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Strata.Configuration;
using Strata.Database;
using Strata.History;
using Strata.Linting;
using Strata.Migrations;
using Strata.Running;
using Strata.Verification;

namespace Strata.Deploying;

/// <summary>Everything a deploy reads, gathered by the project that starts it.</summary>
/// <param name="Config">The configuration.</param>
/// <param name="Environment">The environment deployed to.</param>
/// <param name="Target">Its database.</param>
/// <param name="Required">The environment it must be promoted from (<c>requires</c>) and its database; null when none is required.</param>
/// <param name="Migrations">The migration files.</param>
/// <param name="Settings">The run settings for the target.</param>
/// <param name="Lint">Lints the files about to be deployed; null when they are not files (an embedded source).</param>
/// <param name="Variables">Environment variables, for finding pg_dump.</param>
internal sealed record DeployContext(
    StrataConfig Config,
    EnvironmentConfig Environment,
    ConnectionTarget Target,
    (EnvironmentConfig Config, ConnectionTarget Target)? Required,
    MigrationSet Migrations,
    RunSettings Settings,
    Func<IReadOnlyList<string>, LintResult>? Lint,
    Func<string, string?> Variables);

/// <summary>
/// <c>deploy --env E</c>: the strategy's deploy script and checklist as one guarded pipeline.
/// Validate (files, lint), promotion gate (every migration applied in the required environment,
/// same checksum, soaked), window, confirmation, backup, apply (undoing what this deploy applied
/// when a migration fails), post-checks, smoke test, report. Each step is shown as it runs and
/// recorded as a <c>deploy</c> event in the target's history. A gate refuses with exit 3 unless
/// overridden with a reason, which is recorded.
/// </summary>
internal sealed class Deployer(DeployContext context, DeployOptions options, Action<DeployStep>? progress)
{
    private readonly List<DeployStep> _steps = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IReadOnlyList<string> _planned = [];

    private string Name => context.Environment.Name;

    public async Task<DeployResult> RunAsync(CancellationToken cancellationToken)
    {
        // 1. Validate: the files load, and lint finds no error in the ones about to be deployed.
        if (context.Migrations.Problems.Count > 0) return Refused([.. context.Migrations.Problems]);
        var last = options.To is null ? null : context.Migrations.Find(options.To);
        if (options.To is not null && last is null) return Refused(MigrationProblems.UnknownVersion(options.To));
        // up's own dry run: drift, out-of-order files and interrupted runs refuse here, before
        // the gates and the backup, exactly as up would refuse them.
        var dry = await OnTarget(session => Migrator.UpAsync(session, context.Migrations, last, new UpOptions(DryRun: true), context.Settings, null, cancellationToken),
            cancellationToken);
        _planned = [.. dry.Selected.Select(e => e.Version)];
        if (dry.IsRefused)
        {
            Step("validate", DeployStepOutcome.Failed, string.Join(" ", dry.Refusals.Select(r => r.Message)));
            return Refused(dry.Refusals);
        }
        var toRun = dry.Selected.Where(e => e.File is not null).ToList();
        if (toRun.Count == 0)
        {
            Step("validate", DeployStepOutcome.Passed, $"nothing to deploy: {Name} already has every migration{(last is null ? "" : $" up to {last.Version}")}");
            return Result();
        }
        if (Lint(toRun) is { } lintRefusal) return Refused(lintRefusal);

        // 2. Promotion gate: what staging proved, production gets.
        if (await PromotionAsync(toRun, cancellationToken) is { } promotionRefusal) return Refused(promotionRefusal);

        // 3. Window.
        if (Window() is { } windowRefusal) return Refused(windowRefusal);

        // 4. Confirmation.
        if (Confirm() is { } confirmRefusal) return Refused(confirmRefusal);
        if (options.DryRun)
        {
            Step("apply", DeployStepOutcome.Skipped, $"dry run: would back up {Name}, apply {_planned.Count} migration(s), check and smoke-test");
            return Result() with { };
        }

        // 5. Backup, checked before anything is applied.
        var started = _clock.ElapsedMilliseconds;
        string? backup;
        try
        {
            backup = await DeployBackup.RunAsync(context.Environment.Backup, context.Target, Name, Path.Combine(context.Config.ProjectRoot, ".strata", "backups"),
                options.Clock(), context.Variables, cancellationToken);
        }
        catch (StrataException ex)
        {
            Step("backup", DeployStepOutcome.Failed, ex.Problem.ToString(), started);
            await RecordAsync(cancellationToken);
            return Result();
        }
        Step("backup", backup is null ? DeployStepOutcome.Skipped : DeployStepOutcome.Passed,
            backup is null ? "backup = \"none\": no backup taken, on purpose" : $"{backup} ({new FileInfo(backup).Length:N0} bytes)", started);

        // 6. Apply; a failure undoes what this deploy applied, newest first.
        started = _clock.ElapsedMilliseconds;
        var before = await OnTarget(session => SchemaSnapshot.ReadAsync(session.Connection, SnapshotOptions.For(context.Settings.Table), cancellationToken), cancellationToken);
        var settings = options.Overrides.Count == 0 ? context.Settings : context.Settings with { Overrides = options.Overrides, OverrideReason = options.Reason };
        var up = await OnTarget(session => Migrator.UpAsync(session, context.Migrations, last ?? toRun[^1].File, new UpOptions(), settings, null, cancellationToken),
            cancellationToken);
        var result = Result() with { BackupPath = backup };
        if (up.IsRefused)
        {
            Step("apply", DeployStepOutcome.Failed, string.Join(" ", up.Refusals.Select(r => r.ToString())), started);
            await RecordAsync(cancellationToken);
            return Result() with { BackupPath = backup, Refusals = up.Refusals };
        }
        if (up.Failure is { } failure)
        {
            Step("apply", DeployStepOutcome.Failed,
                $"{failure.Version} failed{(failure.Line is null ? "" : $" at line {failure.Line}")}: {failure.SqlState}: {failure.Message}. {failure.Advice}", started,
                [.. up.Applied.Select(a => $"applied {a.Version} ({a.DurationMs} ms) before it")]);
            var restored = await UndoAsync(up.Applied, before, $"deploy to {Name}: {failure.Version} failed", cancellationToken);
            await RecordAsync(cancellationToken);
            return Result() with { BackupPath = backup, Applied = up.Applied, Failure = failure, RolledBack = true, SchemaRestored = restored };
        }
        Step("apply", DeployStepOutcome.Passed, $"applied {up.Applied.Count} migration(s) in {up.Applied.Sum(a => a.DurationMs):N0} ms", started,
            [.. up.Applied.Select(a => $"{a.Version} ({a.DurationMs} ms{(a.LockRetries > 0 ? $", {a.LockRetries} lock retries" : "")})")]);
        result = result with { Applied = up.Applied };

        // 7. Post-checks, 8. smoke test: a failure stops with the rollback command, or undoes the deploy.
        var checks = await PostChecksAsync(up.Applied, cancellationToken);
        var smoke = checks ? await SmokeAsync(cancellationToken) : false;
        if (checks && smoke)
        {
            await RecordAsync(cancellationToken);
            return result with { Steps = [.. _steps] };
        }
        var command = $"strata rollback --env {Name} --last {up.Applied.Count} --reason \"{(checks ? "smoke test" : "post-deploy checks")} failed after the deploy\"";
        if (context.Environment.OnSmokeFailure == SmokeFailureAction.Rollback)
        {
            var restored = await UndoAsync(up.Applied, before, $"deploy to {Name}: {(checks ? "smoke test" : "post-deploy checks")} failed", cancellationToken);
            await RecordAsync(cancellationToken);
            return result with { Steps = [.. _steps], RolledBack = true, SchemaRestored = restored };
        }
        await RecordAsync(cancellationToken);
        return result with { Steps = [.. _steps], RollbackCommand = command };
    }

    private Problem? Lint(IReadOnlyList<PlanEntry> toRun)
    {
        var started = _clock.ElapsedMilliseconds;
        if (context.Lint is null)
        {
            Step("validate", DeployStepOutcome.Skipped, "the migrations are not files: lint skipped", started);
            return null;
        }
        var lint = context.Lint([.. toRun.Select(e => e.File!.Path)]);
        var errors = lint.Findings.Where(f => f.Severity == Severity.Error).ToList();
        var warnings = lint.Findings.Count(f => f.Severity == Severity.Warning);
        if (errors.Count == 0)
        {
            Step("validate", DeployStepOutcome.Passed, $"{toRun.Count} migration(s) to deploy; lint: no errors, {warnings} warning(s)", started);
            return null;
        }
        var details = errors.Select(f => $"{f.File}:{f.Line}:{f.Column}: [{f.Rule}] {f.Message}").ToList();
        return Gate(DeployGates.Lint, "validate", started, $"lint found {errors.Count} error(s) in the migrations to deploy", details,
            "Fix them (strata lint shows each with its rule's page), or pass this gate with --override lint --reason \"...\".");
    }

    private async Task<Problem?> PromotionAsync(IReadOnlyList<PlanEntry> toRun, CancellationToken cancellationToken)
    {
        var started = _clock.ElapsedMilliseconds;
        if (context.Required is not { } required)
        {
            Step("promotion", DeployStepOutcome.Skipped, $"{Name} requires no other environment first", started);
            return null;
        }
        var soak = SoakOf(context.Environment);
        var rows = await DatabaseSession.UseAsync(required.Target, async session =>
            await HistoryStore.ExistsAsync(session, context.Settings.Table, cancellationToken)
                ? await HistoryStore.ReadAsync(session, context.Settings.Table, cancellationToken)
                : [], cancellationToken);
        var byVersion = rows.GroupBy(r => r.Version).ToDictionary(g => g.Key, g => g.Last());
        var now = options.Clock().UtcDateTime;
        var soakRefusals = new List<string>();
        var checksumRefusals = new List<string>();
        foreach (var entry in toRun)
        {
            var file = entry.File!;
            if (!byVersion.TryGetValue(file.Version, out var row) || row.Status != HistoryStatus.Applied)
            {
                soakRefusals.Add($"{file.Version}: not applied in {required.Config.Name}{(row is null ? "" : $" (it is {row.Status} there)")}: deploy it there first");
                continue;
            }
            if (row.Checksum is { } staged && !string.Equals(staged, file.Checksum, StringComparison.Ordinal))
                checksumRefusals.Add($"{file.Version}: the file's checksum {MigrationText.ShortChecksum(file.Checksum)} differs from what {required.Config.Name} applied ({MigrationText.ShortChecksum(staged)}): the file changed after it was staged");
            var appliedAt = row.AppliedAt is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc) : (DateTime?)null;
            if (appliedAt is null)
                soakRefusals.Add($"{file.Version}: {required.Config.Name} has no applied_at for it, so its soak cannot be measured");
            else if (now - appliedAt.Value < soak)
                soakRefusals.Add($"{file.Version}: applied in {required.Config.Name} {Age(now - appliedAt.Value)} ago; soak is {Age(soak)}, {Age(soak - (now - appliedAt.Value))} left");
        }
        if (checksumRefusals.Count > 0 && Gate(DeployGates.Checksum, "promotion", started, $"{checksumRefusals.Count} migration(s) differ from what {required.Config.Name} applied",
                checksumRefusals, $"Deploy the file {required.Config.Name} ran (git history), or apply the change to {required.Config.Name} first as a new migration; --override checksum --reason \"...\" passes this gate.") is { } checksum)
            return checksum;
        if (soakRefusals.Count > 0 && Gate(DeployGates.Soak, "promotion", started, $"{soakRefusals.Count} migration(s) have not soaked in {required.Config.Name} for {Age(soak)}",
                soakRefusals, $"Wait, or pass this gate with --override soak --reason \"...\" (an emergency fix).") is { } soaked)
            return soaked;
        if (checksumRefusals.Count == 0 && soakRefusals.Count == 0)
            Step("promotion", DeployStepOutcome.Passed, $"every migration is applied in {required.Config.Name} with the same checksum, at least {Age(soak)} ago", started);
        return null;
    }

    private Problem? Window()
    {
        var started = _clock.ElapsedMilliseconds;
        var window = context.Environment.Window;
        var decision = window.Check(options.Clock());
        if (decision.Allowed)
        {
            var configured = window.Windows.Count + window.Deny.Count > 0;
            Step("window", configured ? DeployStepOutcome.Passed : DeployStepOutcome.Skipped, configured ? decision.Reason : "no deployment window or deny period configured", started);
            return null;
        }
        return Gate(DeployGates.Window, "window", started, decision.Reason, [],
            "Deploy inside the window, or pass this gate with --override window --reason \"...\".");
    }

    private Problem? Confirm()
    {
        var started = _clock.ElapsedMilliseconds;
        if (options.Yes)
        {
            Step("confirm", DeployStepOutcome.Passed, "confirmed in advance (--yes)", started);
            return null;
        }
        if (context.Environment.Confirm == false)
        {
            Step("confirm", DeployStepOutcome.Skipped, $"confirm = false for {Name}", started);
            return null;
        }
        var question = new DeployConfirmation(Name, context.Target.Display, _planned);
        if (options.Confirm is { } ask)
        {
            if (ask(question))
            {
                Step("confirm", DeployStepOutcome.Passed, "confirmed at the prompt", started);
                return null;
            }
            Step("confirm", DeployStepOutcome.Failed, "not confirmed at the prompt", started);
            return DeployProblems.Gate("confirmation", $"the deploy to {Name} was not confirmed.", "Nothing was changed.");
        }
        Step("confirm", DeployStepOutcome.Failed, "nobody can confirm: not a terminal, and no --yes", started);
        return DeployProblems.Gate("confirmation", $"deploying {_planned.Count} migration(s) to {Name} needs confirmation, and this run cannot ask (no terminal).",
            "Run it in a terminal to answer the prompt, or pass --yes in CI once the plan has been reviewed (deploy --dry-run shows it).");
    }

    /// <summary>A refusing gate: overridden (recorded) when the run says so with a reason, else the refusal.</summary>
    private Problem? Gate(string gate, string step, long started, string why, IReadOnlyList<string> details, string hint)
    {
        if (options.Overrides.Contains(gate, StringComparer.Ordinal))
        {
            Step(step, DeployStepOutcome.Overridden, $"{why}; overridden (--override {gate}): {options.Reason}", started, details);
            return null;
        }
        Step(step, DeployStepOutcome.Failed, why, started, details);
        return DeployProblems.Gate(gate, $"the {gate} gate refused the deploy to {Name}: {why}.{(details.Count > 0 ? " " + string.Join("; ", details) + "." : "")}", hint);
    }

    private async Task<bool> PostChecksAsync(IReadOnlyList<AppliedMigration> applied, CancellationToken cancellationToken)
    {
        var started = _clock.ElapsedMilliseconds;
        var problems = await OnTarget(async session =>
        {
            var found = new List<string>();
            var plan = await Migrator.StatusAsync(session, context.Migrations, context.Settings.Table, cancellationToken);
            foreach (var migration in applied)
            {
                var entry = plan.Entries.FirstOrDefault(e => e.Version == migration.Version);
                if (entry?.Row?.Status != HistoryStatus.Applied) found.Add($"{migration.Version} does not read applied in the history ({entry?.Row?.Status ?? "no row"})");
            }
            foreach (var index in await InvalidIndexes.ListAsync(session.Connection, cancellationToken))
                found.Add($"INVALID index {index}: drop it (DROP INDEX CONCURRENTLY) and build it again");
            foreach (var migration in applied)
            {
                if (context.Migrations.Find(migration.Version) is { } file)
                    found.AddRange(await VerifyAssertions.RunAsync(session, file, cancellationToken));
            }
            return found;
        }, cancellationToken);
        var compared = await MatchesRequiredAsync(applied, cancellationToken);
        problems.AddRange(compared ?? []);
        Step("post-checks", problems.Count == 0 ? DeployStepOutcome.Passed : DeployStepOutcome.Failed,
            problems.Count == 0
                ? "every deployed migration reads applied, no INVALID index, every verify query holds" + (compared is not null ? $", the touched tables match {context.Required!.Value.Config.Name}" : "")
                : $"{problems.Count} check(s) failed", started, problems);
        return problems.Count == 0;
    }

    /// <summary>
    /// The tables the deployed migrations touched must look the same here as in the environment
    /// they were promoted from: the same columns, types, defaults, indexes, constraints and
    /// policies (the verify snapshot). Skipped when that environment has newer migrations
    /// applied, which would make the comparison unlike for like.
    /// </summary>
    private async Task<List<string>?> MatchesRequiredAsync(IReadOnlyList<AppliedMigration> applied, CancellationToken cancellationToken)
    {
        if (context.Required is not { } required || applied.Count == 0) return null;
        var newest = applied[^1].Version;
        var tables = applied.Select(a => context.Migrations.Find(a.Version)).OfType<MigrationFile>()
            .SelectMany(f => AffectedTables.Of(f.Up, context.Settings.Table)).Select(t => t.Contains('.') ? t : "public." + t).ToHashSet(StringComparer.Ordinal);
        var options = SnapshotOptions.For(context.Settings.Table);
        var (theirs, newer) = await DatabaseSession.UseAsync(required.Target, async session =>
        {
            var rows = await HistoryStore.ReadAsync(session, context.Settings.Table, cancellationToken);
            var later = rows.Any(r => r.Status == HistoryStatus.Applied && string.CompareOrdinal(r.Version, newest) > 0);
            return (await SchemaSnapshot.ReadAsync(session.Connection, options, cancellationToken), later);
        }, cancellationToken);
        if (newer) return null;
        var ours = await OnTarget(session => SchemaSnapshot.ReadAsync(session.Connection, options, cancellationToken), cancellationToken);
        bool Touched(SnapshotObject o) => tables.Contains(o.Identity) || (o.Parent is { } parent && tables.Contains(parent));
        var differences = SchemaDiff.Compare(new SchemaSnapshot([.. theirs.Objects.Where(Touched)]), new SchemaSnapshot([.. ours.Objects.Where(Touched)]),
            $"in {required.Config.Name}", $"in {Name}");
        return [.. differences.Select(d => $"differs from {required.Config.Name}: {d.Text}")];
    }

    private async Task<bool> SmokeAsync(CancellationToken cancellationToken)
    {
        var started = _clock.ElapsedMilliseconds;
        if (string.IsNullOrWhiteSpace(context.Environment.Smoke))
        {
            Step("smoke", DeployStepOutcome.Skipped, "no smoke command configured", started);
            return true;
        }
        var (exitCode, tail) = await SmokeCommand.RunAsync(context.Environment.Smoke, Name, context.Target.ToUrl(), context.Config.ProjectRoot,
            context.Target.Redactor, cancellationToken);
        Step("smoke", exitCode == 0 ? DeployStepOutcome.Passed : DeployStepOutcome.Failed,
            exitCode == 0 ? $"'{context.Environment.Smoke}' passed" : $"'{context.Environment.Smoke}' exited {exitCode}", started, exitCode == 0 ? [] : tail);
        return exitCode == 0;
    }

    /// <summary>Rolls back what this deploy applied, newest first, and compares the schema with the one before.</summary>
    private async Task<bool?> UndoAsync(IReadOnlyList<AppliedMigration> applied, SchemaSnapshot before, string reason, CancellationToken cancellationToken)
    {
        var started = _clock.ElapsedMilliseconds;
        if (applied.Count > 0)
        {
            var rollback = await OnTarget(session => RollbackRunner.RunAsync(session, context.Migrations, new RollbackOptions(Last: applied.Count, Reason: reason),
                context.Settings, cancellationToken), cancellationToken);
            if (rollback.IsRefused || rollback.Failure is not null)
            {
                var why = rollback.IsRefused ? string.Join(" ", rollback.Refusals) : $"{rollback.Failure!.Version}: {rollback.Failure.SqlState}: {rollback.Failure.Message}";
                Step("rollback", DeployStepOutcome.Failed, $"the rollback of this deploy stopped: {why}. Restore from the backup, or finish it by hand.", started);
                return false;
            }
        }
        var after = await OnTarget(session => SchemaSnapshot.ReadAsync(session.Connection, SnapshotOptions.For(context.Settings.Table), cancellationToken), cancellationToken);
        var differences = SchemaDiff.Compare(before, after, "before the deploy", "after its rollback");
        Step("rollback", differences.Count == 0 ? DeployStepOutcome.Passed : DeployStepOutcome.Failed,
            differences.Count == 0
                ? $"rolled back {applied.Count} migration(s) this deploy applied; {Name}'s schema is exactly as before the deploy"
                : $"rolled back {applied.Count} migration(s), but {differences.Count} difference(s) from the schema before the deploy remain",
            started, [.. differences.Select(d => d.Text)]);
        return differences.Count == 0;
    }

    /// <summary>Records the steps as deploy events in the target's history, when it has an events table (a refused first deploy creates nothing).</summary>
    private async Task RecordAsync(CancellationToken cancellationToken)
    {
        var version = _planned.Count > 0 ? _planned[^1] : "";
        await OnTarget(async session =>
        {
            if (!await HistoryStore.EventsExistAsync(session, context.Settings.Table, cancellationToken)) return 0;
            var writer = new HistoryWriter(context.Settings.Table, context.Settings.AppliedBy, Name);
            var overrides = options.Overrides.Count == 0 ? null : new DeployOverrides([.. options.Overrides], options.Reason);
            await HistoryWriter.WriteAsync(session, _steps.Select(s => writer.DeployStep(version, s, overrides)), cancellationToken);
            return 0;
        }, cancellationToken);
    }

    private DeployResult Refused(params IReadOnlyList<Problem> problems) => Result() with { Refusals = problems };

    private DeployResult Result() => new(Name, context.Target.Display, [.. _steps], _planned, [], options.DryRun);

    private void Step(string name, DeployStepOutcome outcome, string summary, long started = -1, IReadOnlyList<string>? details = null)
    {
        var step = new DeployStep(name, outcome, summary, started < 0 ? 0 : _clock.ElapsedMilliseconds - started, details ?? []);
        _steps.Add(step);
        progress?.Invoke(step);
    }

    private Task<T> OnTarget<T>(Func<DatabaseSession, Task<T>> work, CancellationToken cancellationToken) =>
        DatabaseSession.UseAsync(context.Target, work, cancellationToken);

    /// <summary>The environment's soak time; none configured is no wait (the gate still needs the migration applied there).</summary>
    private static TimeSpan SoakOf(EnvironmentConfig environment) => environment.Soak?.Value ?? TimeSpan.Zero;

    private static string Age(TimeSpan span) =>
        span.TotalDays >= 1 ? $"{(int)span.TotalDays}d {span.Hours}h"
        : span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m"
        : $"{Math.Max(0, (int)span.TotalSeconds)}s";
}

/// <summary>The overrides a deploy ran with, as its events record them.</summary>
/// <param name="Gates">The gates passed although they refused.</param>
/// <param name="Reason">Why.</param>
internal sealed record DeployOverrides(IReadOnlyList<string> Gates, string? Reason);
