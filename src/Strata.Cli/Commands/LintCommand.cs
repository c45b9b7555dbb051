using System.CommandLine;
using Strata.Cli.Rendering;
using Strata.Linting;

namespace Strata.Cli.Commands;

/// <summary><c>strata lint [PATHS] [--format text|json|sarif|github]</c>: the review checklist as rules.</summary>
public static class LintCommand
{
    public static Command Create(GlobalOptions global, CliContext context)
    {
        var paths = new Argument<string[]>("PATHS") { Description = "Migration files or folders (default: the migrations folder)", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format") { Description = "text, json, sarif or github (workflow annotations)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "sarif", "github");
        var command = new Command("lint", "Check migration files against the review checklist: locks, two-phase drops, data, idempotency") { paths, format };
        command.SetAction((parse, cancellationToken) => StrataApp.Guard(context, parse.GetValue(global.Json), async () =>
        {
            var json = parse.GetValue(global.Json) || parse.GetValue(format) == "json";
            var result = await global.Open(parse, context).LintAsync(new LintOptions(parse.GetValue(paths) ?? []), cancellationToken);
            if (result.IsRefused) return ProblemRenderer.Render(context, json, result.Refusals);
            var exitCode = result.HasErrors ? ExitCodes.OperationFailed : ExitCodes.Done;
            switch (json ? "json" : parse.GetValue(format))
            {
                case "json": await context.WriteJsonAsync(LintRenderer.Json(result, exitCode), CliJsonContext.Default.LintJson); break;
                case "sarif": await context.WriteJsonAsync(LintRenderer.Sarif(result), SarifJsonContext.Default.SarifLog); break;
                case "github": await context.Output.WriteLineAsync(LintRenderer.GitHub(result)); break;
                default: LintRenderer.Text(context, result); break;
            }
            if (!result.ParserAvailable)
                context.Error.WriteLine(context.Environment("STRATA_LINT_PARSER") == "lexer" ? LintRenderer.LexerChosen : LintRenderer.NoParser);
            return exitCode;
        }));
        return global.Attach(command, Uses.Dir, ["strata lint", "strata lint migrations/20251021143000_remove_old_context_data_column.sql", "strata lint --format github   # annotations in a GitHub Actions log", "strata lint --format sarif > lint.sarif"]);
    }
}
