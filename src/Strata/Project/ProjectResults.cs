using Strata.History;
using Strata.Running;

namespace Strata.Project;

/// <summary>The outcome of <c>init</c>.</summary>
/// <param name="ConfigPath">The strata.toml written.</param>
/// <param name="MigrationsDirectory">The migrations folder, created if missing.</param>
public sealed record InitResult(string ConfigPath, string MigrationsDirectory) : OperationResult
{
    /// <summary>The .gitignore that now lists <c>.strata/</c> (the dev cluster's data, deploy backups); null when it already did.</summary>
    public string? GitIgnoreUpdated { get; init; }
}

/// <summary>The outcome of <c>new</c>.</summary>
/// <param name="Path">The migration file written.</param>
public sealed record NewMigrationResult(string Path) : OperationResult;

/// <summary>The outcome of <c>status</c>: every migration against the target.</summary>
/// <param name="Target">The database, password-free.</param>
/// <param name="HistoryTable">Where the history lives.</param>
/// <param name="Plan">The files set against the history; null when refused.</param>
public sealed record StatusResult(string Target, HistoryTable HistoryTable, MigrationPlan? Plan) : OperationResult
{
    /// <summary>Files of the folder that could not be read (an unfinished 'strata new', a bad marker): left out of <see cref="Plan"/>, listed here.</summary>
    public IReadOnlyList<Problem> FileProblems { get; init; } = [];
}

/// <summary>Which events <c>history</c> shows.</summary>
/// <param name="Since">Only events newer than this: a duration ago (<c>30d</c>, <c>12h</c>) or a date (<c>2025-10-01</c>).</param>
/// <param name="Version">Only events of this migration (file name or timestamp).</param>
/// <param name="Limit">At most this many.</param>
public sealed record HistoryQuery(string? Since = null, string? Version = null, int Limit = 100);

/// <summary>The outcome of <c>history</c>: the audit trail, newest first.</summary>
/// <param name="Target">The database, password-free.</param>
/// <param name="Events">The events, newest first.</param>
/// <param name="Filtered">True when <c>Since</c> limited the period.</param>
public sealed record HistoryResult(string Target, IReadOnlyList<HistoryEvent> Events, bool Filtered) : OperationResult;

/// <summary>What to do with the local dev cluster.</summary>
public enum DevClusterAction
{
    /// <summary>Create it (the first time) and start it.</summary>
    Start,
    /// <summary>Stop it; the data stays.</summary>
    Stop,
    /// <summary>Report its URL without starting it.</summary>
    Url,
}

/// <summary>The outcome of a <c>dev</c> command.</summary>
/// <param name="Action">What was done.</param>
/// <param name="Running">Whether the server runs afterwards.</param>
/// <param name="Url">The dev database's URL, over its private unix socket (no password exists); null when never created.</param>
/// <param name="DataDirectory">Where its data is, or would be.</param>
/// <param name="Port">Its port; null when never created.</param>
public sealed record DevClusterResult(DevClusterAction Action, bool Running, string? Url, string DataDirectory, int? Port) : OperationResult
{
    /// <summary>The cluster was running before the action, so start changed nothing and stop stopped it.</summary>
    public bool WasRunning { get; init; }

    /// <summary>The cluster existed (was created) before the action.</summary>
    public bool Existed { get; init; }
}

/// <summary>Refusals of the project's own operations, each worded in one place.</summary>
internal static class ProjectProblems
{
    public static Problem MissingLintPath(string path) => new(ProblemKind.BadInput, "missing-path",
        $"'{path}' does not exist: lint takes migration files and folders.", path,
        Hint: "Check the path, or run 'strata lint' with no path to lint the migrations folder.");

    public static Problem BadLintParser(string value) => new(ProblemKind.BadInput, "bad-lint-parser",
        $"STRATA_LINT_PARSER is '{value}', which lint does not know.",
        Hint: "Set it to 'lexer' (rules read the lexer's statement facts only) or 'libpg_query' (the default), or unset it.");

    public static Problem VerifyOnEnvironment(string environment) => new(ProblemKind.BadInput, "verify-on-environment",
        $"verify never runs on an environment's database (--env {environment}): it creates, changes and drops databases of its own.",
        Hint: "Leave --env out to verify on a throwaway cluster, or give --url a server where verify may create scratch databases.");

    public static Problem DevNotCreated() => new(ProblemKind.BadInput, "dev-not-created", "the local dev cluster has not been created yet.",
        Hint: "Run 'strata dev start' (or any command without --url, which starts it).");

    public static Problem BadSince(string text) => new(ProblemKind.BadInput, "bad-since", $"--since '{text}' is neither a duration nor a date.",
        Hint: "Use e.g. 30d, 12h, 90min or 2025-10-01.");
}
