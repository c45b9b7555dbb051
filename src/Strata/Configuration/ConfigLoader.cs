using Strata.History;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Strata.Configuration;

/// <summary>
/// Reads strata.toml through Tomlyn's syntax tree (no reflection binding, so the native binary
/// stays trim-safe) and reports every unknown key with its line, so a typo is never silently ignored.
/// </summary>
internal static partial class ConfigLoader
{
    /// <summary>The file name looked for in the working folder.</summary>
    public const string FileName = "strata.toml";

    private static readonly string[] MigrationKeys = ["dir", "table", "events_table", "lock_timeout", "statement_timeout", "lock_tries", "retry_pause", "lock_wait", "long_tx", "applied_by"];
    private static readonly string[] ScratchKeys = ["preamble"];
    private static readonly string[] VerifyKeys = ["idempotency"];
    private static readonly string[] IdempotencyValues = ["fail", "warn"];

    /// <summary>
    /// Loads <paramref name="explicitPath"/>, or ./strata.toml when present, or defaults.
    /// </summary>
    public static StrataConfig Load(string? explicitPath, string workingDirectory)
    {
        var path = explicitPath is null ? Path.Combine(workingDirectory, FileName) : Path.GetFullPath(explicitPath, workingDirectory);
        if (!System.IO.File.Exists(path))
        {
            if (explicitPath is not null) throw new StrataException(ConfigProblems.MissingFile(explicitPath));
            return StrataConfig.Defaults(workingDirectory);
        }
        return Parse(System.IO.File.ReadAllText(path), path);
    }

    /// <summary>Parses the text of a strata.toml found at <paramref name="path"/>.</summary>
    public static StrataConfig Parse(string text, string path)
    {
        var document = SyntaxParser.Parse(text, path, validate: true);
        if (document.HasErrors)
        {
            var first = document.Diagnostics[0];
            throw new StrataException(ConfigProblems.Syntax(path, first.Span.Start.Line + 1, first.Span.Start.Column + 1, first.Message));
        }
        var root = Path.GetDirectoryName(path)!;
        var config = StrataConfig.Defaults(root) with { File = path };
        var environments = new List<(EnvironmentConfig Environment, int RequiresLine)>();
        if (document.KeyValues.ChildrenCount > 0)
        {
            var first = document.KeyValues.GetChild(0)!;
            throw new StrataException(ConfigProblems.UnknownKey(path, Line(first), "(top level)", KeyText(first.Key!), "none: put keys under [migrations], [environments.NAME], [scratch], [verify] or [lint]"));
        }
        foreach (var table in document.Tables)
        {
            var name = KeyText(table.Name!);
            if (name == "migrations") config = Migrations(config, table, path);
            else if (name == "scratch") config = config with { Scratch = Scratch(table, path) };
            else if (name == "verify") config = config with { Verify = Verify(config.Verify, table, path) };
            else if (name == "lint") config = config with { Lint = Lint(config.Lint, table, path) };
            else if (name == "lint.rules") config = config with { Lint = LintRules(config.Lint, table, path) };
            else if (name.StartsWith("environments.", StringComparison.Ordinal) && name.Length > "environments.".Length)
            {
                environments.Add(Environment(name["environments.".Length..], table, path));
            }
            else throw new StrataException(ConfigProblems.UnknownTable(path, Line(table), name));
        }
        CheckPromotionOrder(environments, path);
        return config with { Environments = environments.ToDictionary(e => e.Environment.Name, e => e.Environment, StringComparer.Ordinal) };
    }

    private static StrataConfig Migrations(StrataConfig config, TableSyntaxBase table, string path)
    {
        string? eventsTable = null;
        var historyTable = config.Table.Qualified;
        int? tableLine = null, eventsLine = null;
        foreach (var item in table.Items)
        {
            var key = KeyText(item.Key!);
            var line = Line(item);
            switch (key)
            {
                case "dir": config = config with { MigrationsDirectory = Path.GetFullPath(String(item, path), config.ProjectRoot) }; break;
                case "table": historyTable = String(item, path); tableLine = line; break;
                case "events_table": eventsTable = String(item, path); eventsLine = line; break;
                case "lock_timeout": config = config with { LockTimeout = ReadDuration(item, path) }; break;
                case "statement_timeout": config = config with { StatementTimeout = ReadDuration(item, path) }; break;
                case "lock_tries": config = config with { LockTries = (int)Integer(item, path, 1, 100) }; break;
                case "retry_pause": config = config with { RetryPause = ReadRetryPause(item, path) }; break;
                case "lock_wait": config = config with { LockWait = ReadDuration(item, path) }; break;
                case "long_tx": config = config with { LongTx = ReadLongTx(item, path) }; break;
                case "applied_by": config = config with { AppliedBy = String(item, path) }; break;
                default: throw new StrataException(ConfigProblems.UnknownKey(path, line, "migrations", key, string.Join(", ", MigrationKeys)));
            }
        }
        try
        {
            return config with { Table = HistoryTable.Parse(historyTable, eventsTable) };
        }
        catch (StrataException ex)
        {
            // Parse checks both names; the problem's code says which key is at fault.
            throw new StrataException(ex.Problem with { File = path, Line = ex.Problem.Code == "bad-events-table" ? eventsLine ?? tableLine : tableLine ?? eventsLine });
        }
    }

    private static ScratchConfig Scratch(TableSyntaxBase table, string path)
    {
        var scratch = ScratchConfig.None;
        foreach (var item in table.Items)
        {
            var key = KeyText(item.Key!);
            if (key != "preamble") throw new StrataException(ConfigProblems.UnknownKey(path, Line(item), "scratch", key, string.Join(", ", ScratchKeys)));
            var preamble = String(item, path);
            // Whether it names the built-in preamble or a file is decided where it is used (verify);
            // an empty value names neither, and is refused here, where its line is known.
            if (preamble.Trim().Length == 0) throw new StrataException(ConfigProblems.EmptyPreamble(path, Line(item)));
            scratch = new ScratchConfig(preamble, Line(item));
        }
        return scratch;
    }

    private static VerifyConfig Verify(VerifyConfig verify, TableSyntaxBase table, string path)
    {
        foreach (var item in table.Items)
        {
            var key = KeyText(item.Key!);
            if (key != "idempotency") throw new StrataException(ConfigProblems.UnknownKey(path, Line(item), "verify", key, string.Join(", ", VerifyKeys)));
            verify = String(item, path) switch
            {
                "fail" => verify with { Idempotency = IdempotencyRule.Fail },
                "warn" => verify with { Idempotency = IdempotencyRule.Warn },
                var other => throw new StrataException(ConfigProblems.BadChoice(path, Line(item), key, other, IdempotencyValues,
                    "\"fail\" (the default) fails verification when a migration's up cannot run a second time; \"warn\" reports it and goes on.")),
            };
        }
        return verify;
    }

    private static LintConfig Lint(LintConfig lint, TableSyntaxBase table, string path)
    {
        foreach (var item in table.Items)
        {
            var key = KeyText(item.Key!);
            lint = key switch
            {
                "deprecation_period" => lint with { DeprecationPeriod = ReadDuration(item, path) },
                // The PostgreSQL major version the migrations run on; the parser lint carries is 15's.
                "postgres" => lint with { Postgres = (int)Integer(item, path, 9, 99) },
                _ => throw new StrataException(ConfigProblems.UnknownKey(path, Line(item), "lint", key, "deprecation_period, postgres, and rules under [lint.rules]")),
            };
        }
        return lint;
    }

    // Each key is a rule name, each value its severity or "off"; a name lint does not know is an
    // error, so a typo cannot silently leave the rule on.
    private static LintConfig LintRules(LintConfig lint, TableSyntaxBase table, string path)
    {
        var rules = new Dictionary<string, Linting.Severity?>(lint.Rules, StringComparer.Ordinal);
        var known = Linting.Linter.Catalog.Select(r => r.Name).ToList();
        foreach (var item in table.Items)
        {
            var key = KeyText(item.Key!);
            if (!known.Contains(key)) throw new StrataException(ConfigProblems.UnknownKey(path, Line(item), "lint.rules", key, "the rule names in docs/rules/README.md"));
            rules[key] = String(item, path) switch
            {
                "error" => Linting.Severity.Error,
                "warning" => Linting.Severity.Warning,
                "info" => Linting.Severity.Info,
                "off" => null,
                var other => throw new StrataException(ConfigProblems.BadChoice(path, Line(item), key, other, SeverityValues,
                    "the severity lint gives this rule's findings (only errors make lint exit 1), or \"off\" to not run it.")),
            };
        }
        return lint with { Rules = rules };
    }

    private static readonly string[] SeverityValues = ["error", "warning", "info", "off"];

    private static int Line(SyntaxNode node) => node.Span.Start.Line + 1;

    private static string KeyText(KeySyntax key)
    {
        var parts = new List<string> { SimpleKey(key.Key) };
        foreach (var dotted in key.DotKeys) parts.Add(SimpleKey(dotted.Key));
        return string.Join('.', parts);
    }

    private static string SimpleKey(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key!.Text!,
        StringValueSyntax quoted => quoted.Value!,
        _ => "",
    };

    private static string String(KeyValueSyntax item, string path) =>
        item.Value is StringValueSyntax s ? s.Value ?? "" : throw new StrataException(ConfigProblems.WrongType(path, Line(item), KeyText(item.Key!), "a string"));

    private static bool Boolean(KeyValueSyntax item, string path) =>
        item.Value is BooleanValueSyntax b ? b.Value : throw new StrataException(ConfigProblems.WrongType(path, Line(item), KeyText(item.Key!), "true or false"));

    private static long Integer(KeyValueSyntax item, string path, long min, long max) =>
        item.Value is IntegerValueSyntax i && i.Value >= min && i.Value <= max ? i.Value
            : throw new StrataException(ConfigProblems.WrongType(path, Line(item), KeyText(item.Key!), $"a whole number from {min} to {max}"));

    private static Duration ReadDuration(KeyValueSyntax item, string path)
    {
        var value = String(item, path);
        return Duration.TryParse(value, out var duration, out var error)
            ? duration
            : throw new StrataException(ConfigProblems.BadDuration(path, Line(item), KeyText(item.Key!), error));
    }

    // Above zero: with no pause every retry of a lock timeout, or every look for a long
    // transaction, would follow the last at once and the tries would be spent in a blink.
    private static Duration ReadRetryPause(KeyValueSyntax item, string path)
    {
        var pause = ReadDuration(item, path);
        return pause.Value > TimeSpan.Zero ? pause
            : throw new StrataException(ConfigProblems.BadDuration(path, Line(item), "retry_pause", $"'{String(item, path)}' is zero; the pause before the first retry must be above zero"));
    }

    // "off" is the one way to turn the check off: a zero duration would read as "every
    // transaction is long", and a bare 0 is refused like any number without a unit.
    private static Duration ReadLongTx(KeyValueSyntax item, string path)
    {
        var value = String(item, path);
        if (value.Trim() == "off") return Duration.From(TimeSpan.Zero);
        if (value.Trim() == "0") throw new StrataException(ConfigProblems.BadLongTx(path, Line(item), "'0' does not turn the check off"));
        if (!Duration.TryParse(value, out var duration, out var error))
            throw new StrataException(ConfigProblems.BadLongTx(path, Line(item), error));
        return duration.Value > TimeSpan.Zero ? duration : throw new StrataException(ConfigProblems.BadLongTx(path, Line(item), $"'{value}' is zero"));
    }

    private static IReadOnlyList<string> StringArray(KeyValueSyntax item, string path)
    {
        if (item.Value is not ArraySyntax array) throw new StrataException(ConfigProblems.WrongType(path, Line(item), KeyText(item.Key!), "an array of strings"));
        var values = new List<string>();
        foreach (var element in array.Items)
            values.Add(element.Value is StringValueSyntax s ? s.Value ?? "" : throw new StrataException(ConfigProblems.WrongType(path, Line(item), KeyText(item.Key!), "an array of strings")));
        return values;
    }
}
