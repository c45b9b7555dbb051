namespace Strata.Linting;

/// <summary>How much a finding matters: an error fails <c>lint</c> (exit 1), the others only inform.</summary>
public enum Severity
{
    /// <summary>Fails lint: the migration is unsafe or broken as written.</summary>
    Error,
    /// <summary>Worth a look; does not fail lint.</summary>
    Warning,
    /// <summary>For the record.</summary>
    Info,
}

/// <summary>One thing lint found, located in a file. Every output format (text, JSON, SARIF, GitHub) renders this one type.</summary>
/// <param name="Rule">The rule's kebab-case name; its page is <c>docs/rules/RULE.md</c>.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Message">What is wrong and what to do instead, in one line.</param>
/// <param name="Help">The rule's documentation page.</param>
/// <param name="File">The file, as given or found.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
public sealed record Finding(string Rule, Severity Severity, string Message, string Help, string File, int Line, int Column);
