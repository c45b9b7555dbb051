using System.CommandLine;
using System.Reflection;
using Npgsql;
using Strata.Cli.Commands;
using Strata.Cli.Rendering;
using Strata.Database;

namespace Strata.Cli;

/// <summary>Builds the command tree and runs one command line against a <see cref="CliContext"/>.</summary>
public static class StrataApp
{
    /// <summary>Strata's version, as recorded in history metadata.</summary>
    public static string Version { get; } =
        typeof(StrataApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The whole command tree; one test builds it so a mis-declared option fails fast.</summary>
    public static RootCommand Build(CliContext context)
    {
        var global = new GlobalOptions();
        var root = new RootCommand("Strata: safe, versioned, reversible PostgreSQL schema migrations.");
        global.AddTo(root);
        root.Subcommands.Add(InitCommand.Create(global, context));
        root.Subcommands.Add(NewCommand.Create(global, context));
        root.Subcommands.Add(StatusCommand.Create(global, context));
        root.Subcommands.Add(UpCommand.Create(global, context));
        root.Subcommands.Add(HistoryCommand.Create(global, context));
        root.Subcommands.Add(DevCommand.Create(global, context));
        return root;
    }

    /// <summary>Parses and runs; returns the exit code. Never throws.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0 && args.Contains("--json"))
            return ProblemRenderer.Render(context, json: true,
                [.. parse.Errors.Select(e => new Problem(ProblemKind.BadInput, "bad-usage", e.Message, Hint: "Run 'strata --help' for usage."))]);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await context.Error.WriteLineAsync($"error: {error.Message}");
            await context.Error.WriteLineAsync("Run 'strata --help' (or 'strata COMMAND --help') for usage.");
            return ExitCodes.BadUsage;
        }
        var invocation = new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>
    /// Runs a command body and turns every way it can end into an exit code and a rendered
    /// message: the one place where problems meet the exit-code table.
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
        catch (FolderProblemsException ex)
        {
            return ProblemRenderer.Render(context, json, ex.Problems);
        }
        catch (PostgresException ex)
        {
            // The server refused something outside a migration (e.g. no privilege on the history table).
            var problem = new Problem(ProblemKind.OperationFailed, "server-error", $"the server refused: {ex.SqlState}: {Redactor.Redact(ex.MessageText)}.",
                Hint: ex.SqlState == "42501" ? "The role needs privileges on the history tables and the objects the migrations change." : null);
            return ProblemRenderer.Render(context, json, [problem]);
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // The connection broke after it was opened (server restarted, backend terminated).
            var problem = new Problem(ProblemKind.CannotConnect, "connection-lost", $"the database connection failed: {Redactor.Redact(ex.Message)}.",
                Hint: "Check the server; 'strata status' shows what was recorded before the failure.");
            return ProblemRenderer.Render(context, json, [problem]);
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("cancelled.");
            return ExitCodes.OperationFailed;
        }
        catch (Exception ex) when (context.Environment("STRATA_DEBUG") is null)
        {
            var problem = new Problem(ProblemKind.OperationFailed, "internal-error", $"unexpected error: {Redactor.Redact(ex.Message)}.",
                Hint: "This is a bug in Strata; run again with STRATA_DEBUG=1 for details and report it.");
            return ProblemRenderer.Render(context, json, [problem]);
        }
    }
}
