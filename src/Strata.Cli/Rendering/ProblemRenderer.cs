using System.Text.Json;
using Spectre.Console;
using Strata.Database;

namespace Strata.Cli.Rendering;

/// <summary>Renders problems: one paragraph each on stderr, or one JSON document on stdout.</summary>
public static class ProblemRenderer
{
    /// <summary>Renders and returns the exit code of the most severe problem.</summary>
    public static int Render(CliContext context, bool json, IReadOnlyList<Problem> problems)
    {
        var exitCode = ExitCodes.For(problems);
        if (json)
        {
            var document = new ErrorsJson(exitCode, [.. problems.Select(ToJson)]);
            context.Output.WriteLine(JsonSerializer.Serialize(document, CliJsonContext.Default.ErrorsJson));
            return exitCode;
        }
        // The library redacts at the source; this last pass by shape is a second line of defence.
        foreach (var problem in problems) context.Error.WriteLine($"error: {Redactor.ShapesOnly.Redact(problem.ToString())}");
        if (problems.Count > 1) context.Error.WriteLine($"{problems.Count} problems; nothing was changed.");
        return exitCode;
    }

    public static ProblemJson ToJson(Problem problem) => new(problem.Code, KindName(problem.Kind), Redactor.ShapesOnly.Redact(problem.Message),
        problem.File, problem.Line, problem.Column, problem.Hint);

    /// <summary>The JSON name of a problem kind.</summary>
    public static string KindName(ProblemKind kind) => kind switch
    {
        ProblemKind.OperationFailed => "operation_failed",
        ProblemKind.BadInput => "bad_input",
        ProblemKind.Refused => "refused",
        ProblemKind.CannotConnect => "cannot_connect",
        _ => kind.ToString(),
    };

    /// <summary>Escapes text for Spectre markup.</summary>
    public static string Safe(string? text) => Markup.Escape(text ?? "");
}
