using Strata.Linting;
using Strata.Project;
using Strata.Tests.Support;

namespace Strata.Tests.Linting;

/// <summary>Every rule has an unsafe and a safe example that prove it, and a documentation page.</summary>
public class RuleCatalogTests
{
    private static readonly string Docs = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../docs/rules"));

    private static readonly string[] SuppressionFindings = ["ignore-without-reason", "ignore-unknown-rule", "unused-ignore"];

    public static TheoryData<string> Rules => [.. Linter.Catalog.Select(r => r.Name).Concat(SuppressionFindings)];

    private static async Task<IReadOnlyList<Finding>> LintAsync(IReadOnlyList<(string Name, string Text)> files)
    {
        using var dir = new MigrationDirectory();
        foreach (var (name, text) in files) dir.Write(name, text);
        var result = await StrataProject.Open(new ProjectOptions { WorkingDirectory = dir.Root, EnvironmentVariables = _ => null }).LintAsync(new LintOptions([]));
        result.IsRefused.Should().BeFalse();
        return [.. result.Findings.Where(f => Path.GetFileName(f.File) == files[^1].Name)];
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Every_rule_has_examples_and_a_documentation_page(string rule)
    {
        RuleExamples.All.Should().ContainKey(rule, "every rule needs an unsafe and a safe example in RuleExamples");
        File.Exists(Path.Combine(Docs, rule + ".md")).Should().BeTrue($"docs/rules/{rule}.md documents the rule");
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task The_unsafe_example_is_flagged(string rule)
    {
        var findings = await LintAsync(RuleExamples.All[rule].Unsafe);
        findings.Should().Contain(f => f.Rule == rule, string.Join("\n", findings));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task The_safe_example_is_not(string rule)
    {
        var findings = await LintAsync(RuleExamples.All[rule].Safe);
        findings.Should().NotContain(f => f.Rule == rule, string.Join("\n", findings));
    }

    [Fact]
    public void Rule_names_are_kebab_case_and_unique()
    {
        var names = Linter.Catalog.Select(r => r.Name).ToList();
        names.Should().OnlyHaveUniqueItems();
        names.Should().AllSatisfy(n => n.Should().MatchRegex("^[a-z]+(-[a-z]+)*$"));
    }
}
