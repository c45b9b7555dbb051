using System.Text.RegularExpressions;

namespace Strata.Tests;

/// <summary>The layering DESIGN §6 promises, checked on the source tree so it cannot erode quietly.</summary>
public partial class ArchitectureTests
{
    private static readonly string Repository = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    private static IEnumerable<string> Sources(string folder) =>
        Directory.GetFiles(Path.Combine(Repository, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"));

    [GeneratedRegex(@"\bStrataProject\b|\bStrata\.Project\b")]
    private static partial Regex ProjectReference();

    [Fact]
    public void Nothing_below_the_project_door_refers_to_it()
    {
        var offenders = Sources("src/Strata").Where(f => !f.Contains("/Project/") && !f.EndsWith("OperationResult.cs"))
            .Where(f => ProjectReference().IsMatch(File.ReadAllText(f)));

        offenders.Should().BeEmpty("StrataProject sits above every folder of the library and none imports it");
    }

    [Fact]
    public void The_cli_never_touches_the_driver()
    {
        var offenders = Sources("src/Strata.Cli").Where(f => DriverUse().IsMatch(File.ReadAllText(f)));

        offenders.Should().BeEmpty("the library translates driver faults; the CLI maps options, calls the project and renders");
    }

    [GeneratedRegex(@"using Npgsql|\bNpgsql\w*\.|\b(Npgsql\w*|Postgres)Exception\b")]
    private static partial Regex DriverUse();

    [Fact]
    public void No_public_library_method_fills_a_caller_s_problem_list()
    {
        var fillers = typeof(Strata.Project.StrataProject).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMethods().Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(List<Problem>))).Select(m => $"{t.Name}.{m.Name}"));

        fillers.Should().BeEmpty("problems come back as values (a result's Refusals), not through a list the caller passes in");
    }

    [Fact]
    public void Each_command_file_makes_one_call_into_the_project()
    {
        var commands = Sources("src/Strata.Cli/Commands");
        foreach (var file in commands)
        {
            var name = Path.GetFileName(file);
            var text = File.ReadAllText(file);
            var calls = ProjectCall().Matches(text).Select(m => m.Value).Distinct().ToList();
            // completion prints a shell script and opens no project; status has two modes, one
            // environment or several side by side, each one call.
            if (name == "CompletionCommand.cs") calls.Should().BeEmpty();
            else if (name == "StatusCommand.cs") calls.Should().BeEquivalentTo(".StatusAsync(", ".CompareEnvironmentsAsync(");
            else calls.Should().ContainSingle($"{name} should call one StrataProject operation, found {string.Join(", ", calls)}");
        }
    }

    [GeneratedRegex(@"\.(InitAsync|NewMigrationAsync|StatusAsync|CompareEnvironmentsAsync|UpAsync|HistoryAsync|DevClusterAsync|RollbackAsync|RepairAsync|BaselineAsync|VerifyAsync|LintAsync|DeployAsync)\(")]
    private static partial Regex ProjectCall();

    [Fact]
    public void No_public_library_signature_exposes_the_driver()
    {
        var exposed = typeof(Strata.Project.StrataProject).Assembly.GetExportedTypes()
            .SelectMany(t => t.GetMembers().Select(m => (Type: t, Member: m)))
            .Where(x => x.Member switch
            {
                System.Reflection.MethodInfo method => method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType).Any(IsDriverType),
                System.Reflection.PropertyInfo property => IsDriverType(property.PropertyType),
                System.Reflection.ConstructorInfo constructor => constructor.GetParameters().Any(p => IsDriverType(p.ParameterType)),
                _ => false,
            })
            .Select(x => $"{x.Type.Name}.{x.Member.Name}");

        exposed.Should().BeEmpty();

        static bool IsDriverType(Type type) =>
            type.Namespace?.StartsWith("Npgsql", StringComparison.Ordinal) == true || type.GetGenericArguments().Any(IsDriverType);
    }
}
