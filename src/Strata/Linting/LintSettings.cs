namespace Strata.Linting;

/// <summary>The project's lint settings (<c>[lint]</c> in strata.toml).</summary>
/// <param name="DeprecationPeriod">How much older a deprecation must be than the drop it allows.</param>
/// <param name="Severities">Per-rule severity overrides; a rule mapped to null is off.</param>
/// <param name="Table">The history table, which migrations should not write to themselves.</param>
public sealed record LintSettings(TimeSpan DeprecationPeriod, IReadOnlyDictionary<string, Severity?> Severities, History.HistoryTable Table)
{
    /// <summary>14 days, as the strategy's two-phase pattern waits; no overrides; the default history table.</summary>
    public static readonly LintSettings Default = new(TimeSpan.FromDays(14), new Dictionary<string, Severity?>(), History.HistoryTable.Default);

    /// <summary>
    /// False to read statements with the lexer only, as when libpg_query is absent
    /// (<c>STRATA_LINT_PARSER=lexer</c>): to compare, or to get past a parser problem.
    /// </summary>
    public bool UseParser { get; init; } = true;

    /// <summary>The PostgreSQL major version the migrations target, when the project says (<c>[lint] postgres</c>).</summary>
    public int? Postgres { get; init; }

    /// <summary>True when <paramref name="name"/> (plain or schema-qualified) is the history table or its events table.</summary>
    public bool IsHistoryTable(string name) => Running.AffectedTables.IsHistoryTable(name, Table);
}
