namespace Strata.Linting;

/// <summary>Where a rule found something, and what it says about it.</summary>
/// <param name="Message">One line: what is wrong and what to do instead.</param>
/// <param name="Line">1-based file line.</param>
/// <param name="Column">1-based column.</param>
internal sealed record RuleHit(string Message, int Line, int Column);

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

    /// <summary>Findings on one statement of an up section.</summary>
    public virtual IEnumerable<RuleHit> Check(LintStatement statement, LintContext context) => [];

    /// <summary>Findings on the file as a whole (its name, description, sections).</summary>
    public virtual IEnumerable<RuleHit> CheckFile(LintFile file, LintContext context) => [];

    /// <summary>A hit at the statement's first token.</summary>
    protected static RuleHit At(LintStatement statement, string message) => new(message, statement.Line, statement.Column);
}
