using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Strata.Cli.Rendering;

/// <summary>
/// What a command's help adds after the options System.CommandLine lists: examples, and for a
/// command that connects, the order in which the target is chosen. Registered by each command
/// where it is declared, printed by the one help action of the root.
/// </summary>
internal static class CommandHelp
{
    /// <summary>The target order, as TargetResolver applies it (DESIGN §5).</summary>
    public const string TargetOrder =
        "The database is the first of: --url URL; --env NAME ([environments.NAME] in strata.toml); DATABASE_URL (also read from .env " +
        "next to strata.toml; a real variable wins); the libpq variables PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD; else the " +
        "project's local dev cluster, which Strata creates and starts itself (strata dev).";

    private sealed record Extra(IReadOnlyList<string> Examples, string? Target);

    // Commands are built once per run (and once per test); the table is keyed by instance.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Command, Extra> Extras = [];

    /// <summary>Registers <paramref name="command"/>'s examples and, when it connects, how its target is chosen.</summary>
    public static void Register(Command command, IReadOnlyList<string> examples, string? target) => Extras.AddOrUpdate(command, new Extra(examples, target));

    /// <summary>Replaces the root's help action with one that prints the extras after the usual help.</summary>
    public static void Install(RootCommand root)
    {
        foreach (var option in root.Options)
        {
            if (option is HelpOption help && help.Action is HelpAction standard) help.Action = new WithExtras(standard);
        }
    }

    /// <summary>True when the command line asks for help: it is shown even when the rest of the line does not parse ('new --help' without a name).</summary>
    public static bool IsHelp(ParseResult parse) => parse.Action is WithExtras or HelpAction;

    private sealed class WithExtras(HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var result = standard.Invoke(parseResult);
            if (!Extras.TryGetValue(parseResult.CommandResult.Command, out var extra)) return result;
            var output = parseResult.InvocationConfiguration.Output;
            if (extra.Examples.Count > 0)
            {
                output.WriteLine("Examples:");
                foreach (var example in extra.Examples) output.WriteLine($"  {example}");
                output.WriteLine();
            }
            if (extra.Target is { } target)
            {
                output.WriteLine("Target:");
                foreach (var line in Wrap(target, 76)) output.WriteLine($"  {line}");
                output.WriteLine();
            }
            return result;
        }
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = "";
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line;
                line = "";
            }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) yield return line;
    }
}
