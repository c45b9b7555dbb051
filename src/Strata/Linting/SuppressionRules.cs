namespace Strata.Linting;

/// <summary>The findings about <c>-- strata:ignore</c> comments themselves.</summary>
internal static class SuppressionRules
{
    public const string Missing = "ignore-without-reason";
    public const string Unknown = "ignore-unknown-rule";
    public const string Unused = "unused-ignore";

    public static Finding MissingReason(string file, Suppression s) => new(Missing, Severity.Error,
        $"'-- strata:ignore {s.Rule}' gives no reason: write why the rule does not apply here (-- strata:ignore {s.Rule} the table is empty until the next release).",
        Linter.Help(Missing), file, s.Line, s.Column);

    public static Finding UnknownRule(string file, Suppression s) => new(Unknown, Severity.Error,
        s.Rule.Length == 0
            ? "'-- strata:ignore' names no rule: write '-- strata:ignore RULE reason'."
            : $"'-- strata:ignore {s.Rule}' names no rule lint knows: check the name (the rule list is in docs/rules/).",
        Linter.Help(Unknown), file, s.Line, s.Column);

    public static Finding NotUsed(string file, Suppression s) => new(Unused, Severity.Warning,
        $"'-- strata:ignore {s.Rule}' silences nothing: the statement after it has no {s.Rule} finding. Remove the comment.",
        Linter.Help(Unused), file, s.Line, s.Column);
}
