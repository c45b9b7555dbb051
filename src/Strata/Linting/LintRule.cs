namespace Strata.Linting;

/// <summary>Where a rule found something, and what it says about it.</summary>
/// <param name="Message">One line: what is wrong and what to do instead.</param>
/// <param name="Line">1-based file line.</param>
/// <param name="Column">1-based column.</param>
internal sealed record RuleHit(string Message, int Line, int Column)
{
    /// <summary>The severity of this hit when it differs from the rule's (a project's override still wins).</summary>
    public Severity? Severity { get; init; }

    /// <summary>PostgreSQL's parser or PL/pgSQL compiler rejected the statement (not the lexer or the splitter).</summary>
    public bool ByParser { get; init; }
}

/// <summary>
/// One rule of the review checklist. Each lives in its own file under <c>Linting/Rules/</c> with
/// a kebab-case <see cref="Name"/> that is also its documentation page (<c>docs/rules/NAME.md</c>).
/// A rule looks at one statement of an up section at a time (<see cref="Check"/>), or at the whole
/// file (<see cref="CheckFile"/>); <see cref="LintContext"/> gives it the folder's history.
/// </summary>
internal abstract class LintRule
{
    /// <summary>The rule's name: kebab-case, stable, the name used in <c>-- strata:ignore</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Its severity unless the project overrides it.</summary>
    public abstract Severity DefaultSeverity { get; }

    /// <summary>One sentence for the rule list and the docs index.</summary>
    public abstract string Summary { get; }

    /// <summary>
    /// The parse tree node types <see cref="Check"/> reads (e.g. "IndexStmt"); empty for every
    /// statement. Lint calls <see cref="Check"/> only for those: a rule reads one or two of the
    /// kinds in a file, and asking all rules about every statement was a fifth of lint's time. A
    /// statement without a tree (no parser, or one it rejects) goes to every rule, for the
    /// lexer's fallback.
    /// </summary>
    protected virtual IReadOnlyList<string> Nodes => [];

    private HashSet<string>? _nodes;

    /// <summary>
    /// True when <see cref="Check"/> also reads the statements a DO block runs (a DROP COLUMN
    /// inside the block is still a drop). False for rules the block itself answers: a DO block
    /// that checks before it creates is the idempotent guard.
    /// </summary>
    public virtual bool ReadsDoBlocks => false;

    /// <summary>Findings on one statement of an up section.</summary>
    public virtual IEnumerable<RuleHit> Check(LintStatement statement, LintContext context) => [];

    /// <summary>True when <see cref="Check"/> reads <paramref name="statement"/>'s kind of statement.</summary>
    public bool Reads(LintStatement statement)
    {
        // Built on first use from the override; two threads building it at once build the same set.
        var nodes = _nodes ??= [.. Nodes];
        return statement.NodeType is not { } type || nodes.Count == 0 || nodes.Contains(type);
    }

    /// <summary>Findings on the file as a whole (its name, description, sections).</summary>
    public virtual IEnumerable<RuleHit> CheckFile(LintFile file, LintContext context) => [];

    /// <summary>A hit at the statement's first token.</summary>
    protected static RuleHit At(LintStatement statement, string message) => new(message, statement.Line, statement.Column);
}
