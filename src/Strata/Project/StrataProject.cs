using System.Globalization;
using Strata.Configuration;
using Strata.Database;
using Strata.Deploying;
using Strata.History;
using Strata.LocalServer;
using Strata.Migrations;
using Strata.Running;
using Strata.Linting;
using Strata.Verification;

namespace Strata.Project;

/// <summary>
/// The one door into Strata: every CLI command and every embedding application opens a project
/// and makes one call. It reads the configuration and the migration source, resolves the target
/// and the run settings once, and returns results; refusals (a bad folder, drift, out of order,
/// a busy lock) come back as <see cref="OperationResult.Refusals"/>, and the only exception it
/// throws for trouble is <see cref="StrataException"/> (bad configuration, an unreachable or
/// refusing server), besides <see cref="OperationCanceledException"/>. Nothing below it in the
/// library refers to it.
/// </summary>
public sealed class StrataProject
{
    private readonly ProjectOptions _options;
    private readonly Func<string, string?> _variables;
    private readonly Lazy<MigrationSet> _migrations;
    private Task<ConnectionTarget>? _target;

    private StrataProject(ProjectOptions options, StrataConfig config, IMigrationSource source)
    {
        _options = options;
        _variables = options.EnvironmentVariables;
        if (options.ReadDotEnv)
        {
            // The real environment wins over the project's .env, as in dbmate and the Supabase CLI.
            var file = DotEnvFile.Read(Path.Combine(config.ProjectRoot, DotEnvFile.FileName));
            if (file.Count > 0) _variables = name => options.EnvironmentVariables(name) ?? file.GetValueOrDefault(name);
        }
        Config = config;
        Source = source;
        _migrations = new Lazy<MigrationSet>(() => MigrationSet.Load(source));
    }

    /// <summary>The configuration: strata.toml with the defaults filled in and the options applied.</summary>
    public StrataConfig Config { get; }

    /// <summary>Where the migrations come from.</summary>
    public IMigrationSource Source { get; }

    /// <summary>The migrations, read and validated on first use.</summary>
    public MigrationSet Migrations => _migrations.Value;

    /// <summary>Opens a project. Throws a <see cref="StrataException"/> when the configuration is bad.</summary>
    public static StrataProject Open(ProjectOptions options)
    {
        var config = ConfigLoader.Load(options.ConfigPath, options.WorkingDirectory);
        if (options.MigrationsDirectory is { } dir) config = config with { MigrationsDirectory = Path.GetFullPath(dir, options.WorkingDirectory) };
        return new StrataProject(options, config, options.Source ?? new FolderSource(config.MigrationsDirectory));
    }

    /// <summary>Writes strata.toml and creates the migrations folder; refuses to overwrite a configuration.</summary>
    public static async Task<InitResult> InitAsync(ProjectOptions options, CancellationToken cancellationToken = default)
    {
        var configPath = Path.GetFullPath(options.ConfigPath ?? ConfigLoader.FileName, options.WorkingDirectory);
        var migrations = Path.GetFullPath(options.MigrationsDirectory ?? Defaults.Standard.MigrationsDirectory, options.WorkingDirectory);
        if (File.Exists(configPath)) return new InitResult(configPath, migrations) { Refusals = [ConfigProblems.ConfigExists(configPath)] };
        Directory.CreateDirectory(migrations);
        var relative = Path.GetRelativePath(Path.GetDirectoryName(configPath)!, migrations).Replace('\\', '/');
        await File.WriteAllTextAsync(configPath, ConfigTemplate.Text(relative), cancellationToken);
        return new InitResult(configPath, migrations) { GitIgnoreUpdated = await IgnoreStrataFolderAsync(Path.GetDirectoryName(configPath)!, cancellationToken) };
    }

    /// <summary>
    /// Adds <c>.strata/</c> to the project's .gitignore (creating it when there is none): the
    /// folder holds the dev cluster's data and deploy backups, which must never be committed.
    /// Null when the file already ignores it.
    /// </summary>
    private static async Task<string?> IgnoreStrataFolderAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, ".gitignore");
        var text = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : "";
        var ignored = text.Split('\n').Select(l => l.Trim()).Any(l => l is ".strata" or ".strata/" or "/.strata" or "/.strata/" or ".strata/*" or "/.strata/*");
        if (ignored) return null;
        var separator = text.Length == 0 || text.EndsWith('\n') ? "" : "\n";
        await File.AppendAllTextAsync(path, $"{separator}# Strata's local cluster and deploy backups\n.strata/\n", cancellationToken);
        return path;
    }

    /// <summary>Writes a new, timestamped migration file for <paramref name="name"/> into the migrations folder.</summary>
    public async Task<NewMigrationResult> NewMigrationAsync(string name, CancellationToken cancellationToken = default)
    {
        if (Source is not FolderSource folder) return new NewMigrationResult("") { Refusals = [MigrationProblems.NotAFolder(Source.Description)] };
        var (path, problem) = await MigrationScaffold.WriteAsync(folder.Directory, name, DateTime.UtcNow, cancellationToken);
        return problem is null ? new NewMigrationResult(path!) : new NewMigrationResult("") { Refusals = [problem] };
    }

    /// <summary>Every migration against the target: applied, pending, failed, drift, out of order.</summary>
    public async Task<StatusResult> StatusAsync(CancellationToken cancellationToken = default)
    {
        // One unfinished file (a 'strata new' not written yet) must not hide the state of all the
        // others: status shows the rest and lists the file's problem. Only a problem that is not
        // about one file (a missing folder) stops it.
        var problems = Migrations.Problems;
        if (problems.Any(p => p.File is null)) return new StatusResult("", Config.Table, null) { Refusals = problems };
        var unreadable = problems.Select(p => Path.GetFileName(p.File!)).ToHashSet(StringComparer.Ordinal);
        var readable = Migrations with { Files = [.. Migrations.Files.Where(f => !unreadable.Contains(f.Version))], Problems = [] };
        ConnectionTarget target;
        MigrationPlan plan;
        try
        {
            target = await TargetAsync(cancellationToken);
            plan = await OnTargetAsync(target, session => Migrator.StatusAsync(session, readable, Config.Table, cancellationToken), cancellationToken);
        }
        catch (StrataException ex) when (problems.Count > 0)
        {
            // The files' problems are news whether or not the server answers: report both.
            return new StatusResult("", Config.Table, null) { Refusals = [.. problems, ex.Problem] };
        }
        // A file that cannot be read has no state to show: not "missing", not "pending".
        if (unreadable.Count > 0) plan = plan with { Entries = [.. plan.Entries.Where(e => !unreadable.Contains(e.Version))] };
        return new StatusResult(target.Display, Config.Table, plan) { FileProblems = problems };
    }

    /// <summary>
    /// Every migration against several environments of strata.toml side by side (applied where,
    /// when, by whom, with which checksum), and every inconsistency between them: applied in an
    /// environment but not in the one it follows, different checksums, failed, drift, interrupted.
    /// An environment that cannot be reached is shown as such; the others are still compared.
    /// </summary>
    public async Task<EnvironmentComparison> CompareEnvironmentsAsync(IReadOnlyList<string> environments, CancellationToken cancellationToken = default)
    {
        if (Migrations.Problems.Count > 0) return new EnvironmentComparison([], [], []) { Refusals = Migrations.Problems };
        var statuses = new List<EnvironmentStatus>();
        foreach (var name in environments.Distinct(StringComparer.Ordinal))
        {
            // A bad name or a missing url is bad usage for the whole command, before any server is touched.
            var target = TargetResolver.FromEnvironment(name, Config, _variables);
            try
            {
                var plan = await OnTargetAsync(target, session => Migrator.StatusAsync(session, Migrations, Config.Table, cancellationToken), cancellationToken);
                statuses.Add(new EnvironmentStatus(name, target.Display, plan, null));
            }
            catch (StrataException ex) when (ex.Problem.Kind is ProblemKind.CannotConnect or ProblemKind.OperationFailed or ProblemKind.BadInput)
            {
                statuses.Add(new EnvironmentStatus(name, target.Display, null, ex.Problem));
            }
        }
        return EnvironmentComparison.Build(statuses, name => Config.Environments.TryGetValue(name, out var e) ? e.Requires : null);
    }

    /// <summary>Applies pending migrations in order, each atomically with its history row (or shows them, in a dry run).</summary>
    public async Task<UpResult> UpAsync(UpOptions options, Action<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        // A dev cluster that does not exist yet is not made for a folder that would be refused,
        // and a dry run never makes it: every file is parsed first, as every file would run.
        if (_migrations.IsValueCreated || TargetsMissingDevCluster) return await UpOnLoadedAsync(options, progress, cancellationToken);
        // The folder is read (a thousand files, decoded and hashed) while the session opens and
        // reads the history: each is a third of a no-op run. Its files are parsed once the history
        // is known, all but the applied ones whose checksums match (Strata validated that text when
        // it applied it). Any problem (a bad name or encoding, a file that does not parse, an unknown
        // --to) refuses the run before anything is written, and without a server it is still the
        // folder's problems that are reported, as they were before a server was touched.
        var reading = Task.Run(() => MigrationCandidates.Read(Source), cancellationToken);
        var historyRead = false;
        try
        {
            var target = await TargetAsync(cancellationToken);
            var settings = Settings(target);
            var result = await OnTargetAsync(target, session => Migrator.UpAsync(session, async history =>
            {
                var candidates = await reading;
                historyRead = true;
                return candidates.Parse(history.AppliedChecksums());
            }, options.To, options, settings, progress, cancellationToken), cancellationToken);
            return result with { Target = target.Display };
        }
        catch (StrataException) when (!historyRead && FolderRefusal(options) is { } refusal)
        {
            return refusal;
        }
        finally
        {
            // Never left running unobserved, whatever stopped the run.
            await ((Task)reading).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>What the folder alone refuses (its problems, an unknown --to), as a run with no server says it.</summary>
    private UpResult? FolderRefusal(UpOptions options)
    {
        if (Migrations.Problems.Count > 0) return UpResult.Refused(Migrations.Problems);
        if (options.To is not null && Migrations.Find(options.To) is null) return UpResult.Refused(MigrationProblems.UnknownVersion(options.To));
        return null;
    }

    private async Task<UpResult> UpOnLoadedAsync(UpOptions options, Action<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        if (Migrations.Problems.Count > 0) return UpResult.Refused(Migrations.Problems);
        MigrationFile? last = null;
        if (options.To is not null && (last = Migrations.Find(options.To)) is null) return UpResult.Refused(MigrationProblems.UnknownVersion(options.To));
        if (options.DryRun && TargetsMissingDevCluster)
        {
            var empty = MigrationPlan.Build(Migrations.Files, [], historyExists: false);
            return new UpResult(empty, [.. empty.ToRun.Where(e => last is null || string.CompareOrdinal(e.Version, last.Version) <= 0)], [], null, true)
            {
                Target = "the local dev cluster (not created yet: a real run creates it)",
            };
        }
        var target = await TargetAsync(cancellationToken);
        var settings = Settings(target);
        var result = await OnTargetAsync(target, session => Migrator.UpAsync(session, Migrations, last, options, settings, progress, cancellationToken),
            cancellationToken);
        return result with { Target = target.Display };
    }

    /// <summary>Runs stored rollback SQL, newest first, and marks the rows rolled back (or shows what would run, in a dry run).</summary>
    public async Task<RollbackResult> RollbackAsync(RollbackOptions options, CancellationToken cancellationToken = default)
    {
        if (Migrations.Problems.Count > 0) return RollbackResult.Refused(Migrations.Problems);
        if (options.AsMigration && (options.Version is null || options.Last is not null || options.To is not null))
            return RollbackResult.Refused(RunProblems.AsMigrationNeedsVersion());
        if (options.AsMigration && Source is not FolderSource) return RollbackResult.Refused(MigrationProblems.NotAFolder(Source.Description));
        var target = await TargetAsync(cancellationToken);
        if (!options.DryRun && string.IsNullOrWhiteSpace(options.Reason) && target.Source != DevCluster.TargetSource)
            return RollbackResult.Refused(RunProblems.ReasonRequired()) with { Target = target.Display };
        var settings = Settings(target);
        if (options.AsMigration) return await WriteRevertAsync(target, options, settings, cancellationToken) with { Target = target.Display };
        var result = await OnTargetAsync(target, session => RollbackRunner.RunAsync(session, Migrations, options, settings, cancellationToken), cancellationToken);
        return result with { Target = target.Display };
    }

    /// <summary>
    /// rollback --as-migration: reads the stored rollback SQL on the target, then writes the revert
    /// file into the folder. Only a file that loads cleanly is written.
    /// </summary>
    private async Task<RollbackResult> WriteRevertAsync(ConnectionTarget target, RollbackOptions options, RunSettings settings, CancellationToken cancellationToken)
    {
        var (row, file, problem) = await OnTargetAsync(target,
            session => RollbackRunner.PlanRevertAsync(session, Migrations, options.Version!, settings, cancellationToken), cancellationToken);
        if (problem is not null) return RollbackResult.Refused(problem);
        if (row is null || file is null) return new RollbackResult([], [], null, options.DryRun);
        var now = DateTime.UtcNow;
        var slug = MigrationScaffold.RevertSlug(row.Version);
        string Text(string _) => MigrationScaffold.RevertText(file, row.RollbackSql, options.Reason, now);
        var check = MigrationSet.Load(new MemorySource((MigrationName.ForNew(now, slug), Text(""))));
        if (check.Problems.Count > 0) return RollbackResult.Refused(check.Problems);
        if (options.DryRun) return new RollbackResult([row.Version], [], null, true) { RevertFile = MigrationName.ForNew(now, slug) };
        var (path, writeProblem) = await MigrationScaffold.WriteAsync(((FolderSource)Source).Directory, slug, Text, now, cancellationToken);
        return writeProblem is not null
            ? RollbackResult.Refused(writeProblem)
            : new RollbackResult([row.Version], [], null, false) { RevertFile = path };
    }

    /// <summary>
    /// Accepts what the history cannot explain by itself: edited files (the row takes the new
    /// checksum), files removed on purpose, and interrupted attempts fixed by hand. Each is an event.
    /// </summary>
    public async Task<RepairResult> RepairAsync(RepairOptions options, CancellationToken cancellationToken = default)
    {
        if (Migrations.Problems.Count > 0) return RepairResult.Refused(Migrations.Problems);
        var target = await TargetAsync(cancellationToken);
        if (!options.DryRun && string.IsNullOrWhiteSpace(options.Reason) && target.Source != DevCluster.TargetSource)
            return RepairResult.Refused(RunProblems.ReasonRequired()) with { Target = target.Display };
        var settings = Settings(target);
        var result = await OnTargetAsync(target, session => RepairRunner.RepairAsync(session, Migrations, options, settings, cancellationToken), cancellationToken);
        return result with { Target = target.Display };
    }

    /// <summary>Records the files up to <see cref="RepairOptions.To"/> as applied without running them, for a database that already holds them.</summary>
    public async Task<RepairResult> BaselineAsync(RepairOptions options, CancellationToken cancellationToken = default)
    {
        if (Migrations.Problems.Count > 0) return RepairResult.Refused(Migrations.Problems);
        if (options.To is null || Migrations.Find(options.To) is not { } last) return RepairResult.Refused(MigrationProblems.UnknownVersion(options.To ?? ""));
        var target = await TargetAsync(cancellationToken);
        var settings = Settings(target);
        var result = await OnTargetAsync(target, session => RepairRunner.BaselineAsync(session, Migrations, last, options, settings, cancellationToken), cancellationToken);
        return result with { Target = target.Display };
    }

    /// <summary>
    /// The strategy's test cycle on scratch databases: each migration applies, runs again without
    /// change, rolls back to exactly the schema before it and applies again. Never touches the
    /// project's databases: <see cref="VerifyOptions.Server"/> (or the project's explicit url)
    /// only hosts scratch databases that verify creates and drops; without one a throwaway cluster
    /// is started. An environment is refused rather than used as a scratch server.
    /// </summary>
    public async Task<VerifyResult> VerifyAsync(VerifyOptions options, Action<MigrationVerification>? progress = null,
        CancellationToken cancellationToken = default)
    {
        VerifyResult Refused(Problem problem) => new("", [], null, []) { Refusals = [problem] };
        if (Migrations.Problems.Count > 0) return new VerifyResult("", [], null, []) { Refusals = Migrations.Problems };
        if (_options.Environment is not null) return Refused(ProjectProblems.VerifyOnEnvironment(_options.Environment));
        if (options.From is not null && Migrations.Find(options.From) is null) return Refused(MigrationProblems.UnknownVersion(options.From));
        var (preamble, preambleProblem) = ScratchPreamble.Resolve(Config.Scratch.Preamble, Config.ProjectRoot);
        if (preambleProblem is not null) return Refused(preambleProblem with { File = preambleProblem.File ?? Config.File, Line = preambleProblem.Line ?? Config.Scratch.Line });
        var server = (options.Server ?? _options.Url) is { } url ? ConnectionTarget.Parse(url, "--url") : null;
        await using var scratch = await ScratchServer.StartAsync(server, _variables, cancellationToken);
        var target = await DatabaseFaults.TranslateAsync(server ?? scratch.Maintenance, () => scratch.CreateDatabaseAsync(cancellationToken));
        var settings = Settings(target) with { AppliedBy = "strata verify" };
        var verify = new VerifySettings(Config.Verify.Idempotency, preamble);
        return await OnTargetAsync(target, session => new Verifier(session, Migrations, settings, verify).RunAsync(scratch.Description, options.From, progress,
            cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Lints migration files against the review checklist: every *.sql under the given paths
    /// (default: the migrations folder), whatever its name. Needs no database. A path that does not
    /// exist is bad input; everything found in the files is a finding.
    /// </summary>
    public Task<LintResult> LintAsync(LintOptions options, CancellationToken cancellationToken = default)
    {
        var paths = options.Paths.Count == 0 ? [Config.MigrationsDirectory] : options.Paths.Select(p => Path.GetFullPath(p, _options.WorkingDirectory)).ToList();
        var files = new List<string>();
        foreach (var path in paths)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (File.Exists(path)) files.Add(path);
            else if (Directory.Exists(path))
                files.AddRange(Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".sql", StringComparison.Ordinal)));
            else return Task.FromResult(new LintResult([], 0, false) { Refusals = [ProjectProblems.MissingLintPath(path)] });
        }
        var settings = LintSettings();
        return Task.FromResult(new Linter(settings).Lint(files));
    }

    /// <summary>The audit trail from the events table, newest first.</summary>
    public async Task<HistoryResult> HistoryAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        DateTime? since = null;
        if (query.Since is { } text && !TryParseSince(text, DateTime.UtcNow, out since))
            return new HistoryResult("", [], true) { Refusals = [ProjectProblems.BadSince(text)] };
        var target = await TargetAsync(cancellationToken);
        var events = await OnTargetAsync(target, session =>
            HistoryStore.ReadTrailAsync(session, Config.Table, since, query.Version, Math.Max(1, query.Limit), cancellationToken), cancellationToken);
        return new HistoryResult(target.Display, events, since is not null);
    }

    /// <summary>Starts, stops or describes the project's local dev cluster.</summary>
    public async Task<DevClusterResult> DevClusterAsync(DevClusterAction action, CancellationToken cancellationToken = default)
    {
        var cluster = new DevCluster(Config.ProjectRoot, _variables);
        var before = await cluster.StateAsync(cancellationToken);
        if (action == DevClusterAction.Start) await cluster.StartAsync(cancellationToken);
        if (action == DevClusterAction.Stop && before.Running) await cluster.StopAsync(cancellationToken);
        var state = await cluster.StateAsync(cancellationToken);
        var result = new DevClusterResult(action, state.Running, state.Url, state.DataDirectory, state.Port)
        {
            WasRunning = before.Running,
            Existed = before.Initialised,
        };
        return action == DevClusterAction.Url && state.Url is null ? result with { Refusals = [ProjectProblems.DevNotCreated()] } : result;
    }

    /// <summary>
    /// Deploys to an environment of strata.toml through every gate: lint, promotion from the
    /// environment it requires (same checksum, soaked), window, confirmation, backup, apply
    /// (undoing this deploy's migrations when one fails), post-checks, smoke test. A gate that
    /// refuses comes back as a refusal (kind Refused) unless <see cref="DeployOptions.Overrides"/> names it.
    /// </summary>
    public async Task<DeployResult> DeployAsync(DeployOptions options, Action<DeployStep>? progress = null, CancellationToken cancellationToken = default)
    {
        if (_options.Environment is not { } name || _options.Url is not null) return DeployRefused(DeployProblems.NeedsEnvironment());
        if (options.Overrides.FirstOrDefault(g => !DeployGates.All.Contains(g, StringComparer.Ordinal)) is { } unknown) return DeployRefused(DeployProblems.UnknownGate(unknown));
        if (options.Overrides.Count > 0 && string.IsNullOrWhiteSpace(options.Reason)) return DeployRefused(DeployProblems.OverrideNeedsReason());
        if (!Config.Environments.TryGetValue(name, out var environment))
            return DeployRefused(ConfigProblems.UnknownEnvironment(name, Config.File, Config.Environments.Keys));
        var target = await TargetAsync(cancellationToken);
        (EnvironmentConfig, ConnectionTarget)? required = environment.Requires is { } requires
            ? (Config.Environments[requires], TargetResolver.FromEnvironment(requires, Config, _variables))
            : null;
        // The whole folder is linted, so two-phase rules see the deprecations of migrations
        // already applied; only the findings in the files about to be deployed count.
        Func<IReadOnlyList<string>, LintResult>? lint = Source is FolderSource
            ? paths =>
            {
                var all = new Linter(LintSettings()).Lint([.. Migrations.Files.Select(f => f.Path)]);
                var deploying = paths.ToHashSet(StringComparer.Ordinal);
                return all with { Findings = [.. all.Findings.Where(f => deploying.Contains(f.File))] };
            }
            : null;
        var context = new DeployContext(Config, environment, target, required, Migrations, Settings(target), lint, _variables);
        return await new Deployer(context, options, progress).RunAsync(cancellationToken);

        DeployResult DeployRefused(Problem problem) => new(_options.Environment ?? "", "", [], [], [], options.DryRun) { Refusals = [problem] };
    }

    /// <summary>
    /// The target, resolved once: the url option, else the environment, else DATABASE_URL, else
    /// (when allowed) the local dev cluster, started if needed.
    /// </summary>
    public Task<ConnectionTarget> TargetAsync(CancellationToken cancellationToken = default) =>
        _target ??= TargetResolver.ResolveAsync(_options.Url, _options.Environment, Config, _variables,
            _options.AllowDevCluster, _options.Logger, cancellationToken);

    /// <summary>True when the run would go to a dev cluster that does not exist yet.</summary>
    private bool TargetsMissingDevCluster =>
        _options.AllowDevCluster && !TargetResolver.NamesTarget(_options.Url, _options.Environment, _variables) &&
        !new DevCluster(Config.ProjectRoot, _variables).Exists;

    /// <summary>"30d", "12h", "90min" ago, or an ISO date.</summary>
    internal static bool TryParseSince(string text, DateTime now, out DateTime? since)
    {
        since = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            since = date;
        else if (Duration.TryParse(text, out var ago, out _) && ago.Value < now - DateTime.MinValue)
            since = now - ago.Value;
        return since is not null;
    }

    private LintSettings LintSettings() => new(Config.Lint.DeprecationPeriod.Value, Config.Lint.Rules, Config.Table)
    {
        Postgres = Config.Lint.Postgres,
        UseParser = _variables("STRATA_LINT_PARSER") switch
        {
            null or "" or "libpg_query" => true,
            "lexer" => false,
            var other => throw new StrataException(ProjectProblems.BadLintParser(other)),
        },
    };

    private RunSettings Settings(ConnectionTarget target) => new(
        Config.Table,
        TargetResolver.AppliedBy(_options.AppliedBy, Config, _variables),
        target.Environment,
        Config.LockTimeout,
        Config.StatementTimeout,
        Config.LockTries,
        Config.LockWait,
        Config.RetryPause,
        StrataVersion.Current,
        Source is FolderSource folder ? GitCommit.Find(folder.Directory, _variables) : GitCommit.FromEnvironment(_variables),
        target.Redactor) { LongTx = Config.LongTx };

    private static Task<T> OnTargetAsync<T>(ConnectionTarget target, Func<DatabaseSession, Task<T>> work, CancellationToken cancellationToken) =>
        DatabaseSession.UseAsync(target, work, cancellationToken);
}
