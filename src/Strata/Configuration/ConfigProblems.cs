using Strata.Deploying;

namespace Strata.Configuration;

/// <summary>Configuration and target-resolution problems, each worded in one place.</summary>
internal static class ConfigProblems
{
    public static Problem Syntax(string file, int line, int column, string message) => new(ProblemKind.BadInput, "config-syntax",
        $"strata.toml is not valid TOML: {message}.", file, line, column, Hint: "Fix the TOML syntax (https://toml.io).");

    public static Problem UnknownKey(string file, int line, string table, string key, string known) => new(ProblemKind.BadInput, "config-unknown-key",
        $"unknown key '{key}' in [{table}].", file, line, Hint: $"Known keys there: {known}.");

    public static Problem UnknownTable(string file, int line, string table) => new(ProblemKind.BadInput, "config-unknown-table",
        $"unknown table [{table}].", file, line, Hint: "Known tables: [migrations], [environments.NAME], [scratch] and [verify].");

    public static Problem WrongType(string file, int line, string key, string expected) => new(ProblemKind.BadInput, "config-wrong-type",
        $"'{key}' must be {expected}.", file, line);

    public static Problem BadChoice(string file, int line, string key, string value, IReadOnlyList<string> allowed, string meaning) => new(ProblemKind.BadInput, "config-bad-value",
        $"'{key}' must be {string.Join(" or ", allowed.Select(a => $"\"{a}\""))} (lower case), not \"{value}\".", file, line, Hint: meaning);

    public static Problem EmptyPreamble(string file, int line) => new(ProblemKind.BadInput, "config-empty-value",
        "preamble is empty: name a .sql file or \"supabase\", or remove the key.", file, line,
        Hint: "A path is relative to the folder of strata.toml, e.g. preamble = \"supabase/scratch.sql\".");

    public static Problem BadDuration(string file, int line, string key, string error) => new(ProblemKind.BadInput, "config-bad-duration",
        $"'{key}': {error}.", file, line, Hint: Duration.Help);

    public static Problem BadLongTx(string file, int line, string error) => new(ProblemKind.BadInput, "config-bad-duration",
        $"'long_tx': {error}.", file, line, Hint: $"{LongTxHelp} {Duration.Help}");

    /// <summary>How long_tx is written, for strata.toml and the marker option alike.</summary>
    public const string LongTxHelp = "long_tx takes a duration above zero (500ms, 2s), or \"off\" to send statements without looking for long transactions first.";

    public static Problem BadWindow(string file, int line, string key, string entry, string error) => new(ProblemKind.BadInput, "config-bad-window",
        $"'{key}' entry \"{entry}\": {error}.", file, line, Hint: WindowEntry.Form);

    public static Problem EmptyWindowList(string file, int line, string key) => new(ProblemKind.BadInput, "config-empty-value",
        key == "window"
            ? "'window' is an empty array, which would never let a deploy start: remove the key to allow deploys at any time, or list the windows."
            : "'deny' is an empty array: remove the key when no time is denied, or list the times to deny.",
        file, line, Hint: key == "window" ? "For example window = [\"Sun 02:00-04:00\", \"Mon-Thu 02:00-04:00\"] (UTC)." : "For example deny = [\"Fri 16:00-24:00\", \"Sat,Sun 00:00-24:00\"] (UTC).");

    public static Problem RequiresItself(string file, int line, string environment) => new(ProblemKind.BadInput, "config-bad-requires",
        $"'requires' in [environments.{environment}] names the environment itself.", file, line,
        Hint: "Name the environment a migration must reach first, e.g. requires = \"staging\" in [environments.production], or remove the key.");

    public static Problem RequiresUnknown(string file, int line, string environment, string required, IEnumerable<string> known) => new(ProblemKind.BadInput, "config-bad-requires",
        $"'requires' in [environments.{environment}] names \"{required}\", which is not an environment of this file.", file, line,
        Hint: known.Any()
            ? $"Environments here: {string.Join(", ", known)}. Name one of them, or add [environments.{required}] with its url."
            : $"Add [environments.{required}] with its url, or remove the key.");

    public static Problem RequiresCycle(string file, int line, IReadOnlyList<string> chain) => new(ProblemKind.BadInput, "config-bad-requires",
        $"'requires' makes a cycle ({string.Join(" requires ", chain)}), so no migration could ever pass the promotion gate.", file, line,
        Hint: "Remove 'requires' from the environment deployed first: the start of the promotion order requires nothing.");

    public static Problem ZeroSoak(string file, int line, Duration soak) => new(ProblemKind.BadInput, "config-bad-duration",
        $"'soak' is {soak}: a soak must be longer than zero.", file, line,
        Hint: "Write how long a migration must have been applied in the required environment, e.g. soak = \"24h\", or remove the key for no waiting time.");

    public static Problem NeedsKey(string file, int line, string environment, string key, string needed, string why) => new(ProblemKind.BadInput, "config-needs-key",
        $"'{key}' in [environments.{environment}] has no '{needed}' beside it: {why}.", file, line,
        Hint: $"Add '{needed}', or remove '{key}'.");

    public static Problem BadBackup(string file, int line, string error) => new(ProblemKind.BadInput, "config-bad-value",
        $"'backup': {error}.", file, line, Hint: BackupPlan.Form);

    public static Problem EmptySmoke(string file, int line) => new(ProblemKind.BadInput, "config-empty-value",
        "'smoke' is empty: write the command run after a deploy, or remove the key.", file, line,
        Hint: "For example smoke = \"npm run test:smoke -- --env=production\".");

    public static Problem ConfigExists(string file) => new(ProblemKind.BadInput, "config-exists",
        $"'{file}' already exists; nothing was changed.", Hint: "Edit it, or pass --config to write another file.");

    public static Problem EmptyUrl(string source) => new(ProblemKind.BadInput, "empty-url",
        $"the target named by {source} is empty.",
        Hint: $"An empty {source} is usually an unset secret in CI: set it to the database's URL. To use the local dev cluster, leave {source} out entirely.");

    public static Problem NoTarget() => new(ProblemKind.BadInput, "no-target",
        "no database was named, and this project may not start a local dev cluster.",
        Hint: "Give a target: a url in the options, an environment from strata.toml, or DATABASE_URL.");

    public static Problem MissingFile(string file) => new(ProblemKind.BadInput, "config-missing",
        $"the configuration file '{file}' does not exist.", Hint: "Run 'strata init' to write one, or drop --config to use the defaults.");

    public static Problem UnknownEnvironment(string name, string? file, IEnumerable<string> known) => new(ProblemKind.BadInput, "unknown-environment",
        $"no environment '{name}' is configured.", file,
        Hint: known.Any() ? $"Configured environments: {string.Join(", ", known)}." : "Add an [environments." + name + "] table with a url to strata.toml.");

    public static Problem EnvironmentWithoutUrl(EnvironmentConfig environment, string? file) => new(ProblemKind.BadInput, "environment-without-url",
        $"[environments.{environment.Name}] has no url.", file, environment.Line, Hint: "Add url = \"env:SOME_VARIABLE\" (recommended) or a connection string.");

    public static Problem MissingVariable(string variable, string where) => new(ProblemKind.BadInput, "missing-environment-variable",
        $"the environment variable {variable} ({where}) is not set or is empty.", Hint: $"Export {variable} with the connection string before running Strata.");

    public static Problem PgServiceUnsupported() => new(ProblemKind.BadInput, "pgservice-unsupported",
        "PGSERVICE is set, and Strata does not read PostgreSQL service files (pg_service.conf).",
        Hint: "Give the target as DATABASE_URL, --url or [environments.NAME] url, or unset PGSERVICE and use PGHOST, PGPORT, PGDATABASE and PGUSER.");
}
