using System.CommandLine;
using Strata.Cli.Commands;
using Strata.Cli.Rendering;
using Strata.Database;

namespace Strata.Cli;

/// <summary>Builds the command tree and runs one command line against a <see cref="CliContext"/>.</summary>
public static class StrataApp
{
    /// <summary>The whole command tree; one test builds it so a mis-declared option fails fast.</summary>
    public static RootCommand Build(CliContext context)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Strata: safe, versioned, reversible PostgreSQL schema migrations.");
        CommandHelp.Install(root);
        root.Subcommands.Add(InitCommand.Create(global, context));
        root.Subcommands.Add(NewCommand.Create(global, context));
        root.Subcommands.Add(StatusCommand.Create(global, context));
        root.Subcommands.Add(UpCommand.Create(global, context));
        root.Subcommands.Add(RollbackCommand.Create(global, context));
        root.Subcommands.Add(DeployCommand.Create(global, context));
        root.Subcommands.Add(RepairCommand.Create(global, context));
        root.Subcommands.Add(BaselineCommand.Create(global, context));
        root.Subcommands.Add(HistoryCommand.Create(global, context));
        root.Subcommands.Add(VerifyCommand.Create(global, context));
        root.Subcommands.Add(LintCommand.Create(global, context));
        root.Subcommands.Add(DevCommand.Create(global, context));
        root.Subcommands.Add(CompletionCommand.Create(context));
        return root;
    }

    /// <summary>Parses and runs; returns the exit code. Never throws.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = Build(context);
        // Bare 'strata' is someone finding their way: help, not an error.
        if (args.Length == 0) args = ["--help"];
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && CommandHelp.IsHelp(parse)) return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Error }, cancellationToken);
        if (parse.Errors.Count > 0 && args.Contains("--json"))
            return ProblemRenderer.Render(context, json: true,
                [.. parse.Errors.Select(e => new Problem(ProblemKind.BadInput, "bad-usage", Masked(e.Message, args), Hint: "Run 'strata --help' for usage."))]);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await context.Error.WriteLineAsync($"error: {Masked(error.Message, args)}");
            await context.Error.WriteLineAsync("Run 'strata --help' (or 'strata COMMAND --help') for usage.");
            return ExitCodes.BadUsage;
        }
        var invocation = new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>
    /// A parse error quotes the token it could not place, which may be a URL with a password
    /// (a forgotten --url, or a typo in the option's name): each argument it quotes is masked as
    /// a whole connection string, which also covers passwords with spaces or unencoded '@'.
    /// </summary>
    private static string Masked(string message, string[] args)
    {
        foreach (var arg in args.Where(a => a.Length > 0).Distinct().OrderByDescending(a => a.Length))
        {
            if (message.Contains(arg, StringComparison.Ordinal)) message = message.Replace(arg, Redactor.MaskConnectionString(arg), StringComparison.Ordinal);
        }
        return Redactor.ShapesOnly.Redact(message);
    }

    /// <summary>
    /// Runs a command body and turns every way it can end into an exit code and a rendered
    /// message: the one place where faults meet the exit-code table. The library has already
    /// turned driver errors into <see cref="StrataException"/>, so nothing here knows the driver.
    /// </summary>
    public static async Task<int> Guard(CliContext context, bool json, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (StrataException ex)
        {
            return ProblemRenderer.Render(context, json, [ex.Problem]);
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("cancelled.");
            return ExitCodes.OperationFailed;
        }
        catch (Exception ex) when (context.Environment("STRATA_DEBUG") is null)
        {
            var problem = new Problem(ProblemKind.OperationFailed, "internal-error", $"unexpected error: {Redactor.ShapesOnly.Redact(ex.Message)}.",
                Hint: "This is a bug in Strata; run again with STRATA_DEBUG=1 for details and report it.");
            return ProblemRenderer.Render(context, json, [problem]);
        }
    }
}
