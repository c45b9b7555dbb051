namespace Strata.Linting;

/// <summary>
/// What rules know beyond one statement: the folder's history before the file being linted
/// (tables earlier migrations created, objects they marked deprecated and when), and the project's
/// lint settings. Two-phase rules ("no DROP COLUMN without a deprecation first") read it.
/// </summary>
internal sealed class LintContext(LintSettings settings)
{
    private readonly HashSet<string> _createdTables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime?> _deprecated = new(StringComparer.Ordinal);

    /// <summary>The project's settings.</summary>
    public LintSettings Settings { get; } = settings;

    /// <summary>The file being linted now.</summary>
    public LintFile File { get; set; } = null!;

    /// <summary>True when a migration before the current file created <paramref name="table"/> (plain or schema-qualified, lower case).</summary>
    public bool CreatedEarlier(string table) => _createdTables.Contains(Normalise(table));

    /// <summary>
    /// When an earlier migration marked <paramref name="obj"/> deprecated (a COMMENT whose text
    /// starts with DEPRECATED): its file's timestamp, or null when none did.
    /// </summary>
    public bool DeprecatedEarlier(string obj, out DateTime? at) => _deprecated.TryGetValue(Normalise(obj), out at);

    /// <summary>
    /// True when the current file creates <paramref name="table"/> before <paramref name="statement"/>:
    /// a table nobody can use yet, so locks and rewrites on it cost nothing.
    /// </summary>
    public bool CreatedInThisFile(string table, LintStatement statement) =>
        File.Up.TakeWhile(s => !ReferenceEquals(s, statement)).Any(s =>
            (s.Is("CreateStmt", out var create) && ParseTree.Relation(create) is { } created && Normalise(created) == Normalise(table)) ||
            (s.Node is null && s.Facts is { Verb: "CREATE TABLE", Target: { } target } && Normalise(target) == Normalise(table)));

    /// <summary>True when a statement of the current file before <paramref name="statement"/> is a DROP POLICY IF EXISTS of that policy.</summary>
    public bool DroppedPolicyBefore(string policy, string? table, LintStatement statement) =>
        File.Up.TakeWhile(s => !ReferenceEquals(s, statement)).Any(s =>
            s.Is("DropStmt", out var drop) && ParseTree.Text(drop, "removeType") == "OBJECT_POLICY" && ParseTree.Flag(drop, "missing_ok") &&
            ParseTree.List(drop, "objects").Any(o => ParseTree.ListItems(o).LastOrDefault() is { ValueKind: System.Text.Json.JsonValueKind.Object } last &&
                last.TryGetProperty("String", out var name) && ParseTree.Text(name, "sval") == policy));

    /// <summary>Records that the current file created a table (for the files after it).</summary>
    public void RecordCreatedTable(string table) => _createdTables.Add(Normalise(table));

    /// <summary>Records that the current file marked an object deprecated.</summary>
    public void RecordDeprecation(string obj, DateTime? at) => _deprecated[Normalise(obj)] = at;

    /// <summary>"public.t" and "t" are the same table to a migration folder that never sets search_path.</summary>
    private static string Normalise(string name) => name.StartsWith("public.", StringComparison.Ordinal) ? name[7..] : name;
}

/// <summary>The project's lint settings (<c>[lint]</c> in strata.toml).</summary>
/// <param name="DeprecationPeriod">How much older a deprecation must be than the drop it allows.</param>
/// <param name="Severities">Per-rule severity overrides; a rule mapped to null is off.</param>
/// <param name="Table">The history table, which migrations should not write to themselves.</param>
public sealed record LintSettings(TimeSpan DeprecationPeriod, IReadOnlyDictionary<string, Severity?> Severities, History.HistoryTable Table)
{
    /// <summary>14 days, as the strategy's two-phase pattern waits; no overrides; the default history table.</summary>
    public static readonly LintSettings Default = new(TimeSpan.FromDays(14), new Dictionary<string, Severity?>(), History.HistoryTable.Default);

    /// <summary>True when <paramref name="name"/> (plain or schema-qualified) is the history table or its events table.</summary>
    public bool IsHistoryTable(string name) => Running.AffectedTables.IsHistoryTable(name, Table);
}
