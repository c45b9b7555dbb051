using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;

namespace Strata.Cli;

/// <summary>
/// Everything a command reads from or writes to the outside world, so that the test harness
/// can run the whole CLI in memory (STYLE habit 9) and the library never touches the console.
/// </summary>
public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, Func<string, string?> environment, string workingDirectory, bool outputIsTerminal)
    {
        Output = output;
        Error = error;
        Environment = environment;
        WorkingDirectory = workingDirectory;
        OutputIsTerminal = outputIsTerminal;
        // NO_COLOR (https://no-color.org) and redirected output both mean plain text.
        var colour = outputIsTerminal && string.IsNullOrEmpty(environment("NO_COLOR"));
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = colour ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = outputIsTerminal ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!outputIsTerminal) Console.Profile.Width = 160;
        // COLUMNS, when exported, is the width the user wants (a narrow pane, a log viewer, a test).
        if (int.TryParse(environment("COLUMNS"), out var columns) && columns >= 20) Console.Profile.Width = columns;
    }

    public TextWriter Output { get; }
    public TextWriter Error { get; }
    public Func<string, string?> Environment { get; }
    public string WorkingDirectory { get; }
    public bool OutputIsTerminal { get; }

    /// <summary>Styled human output on <see cref="Output"/>.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>The process's standard output as bytes, under <see cref="Output"/>; null in memory (tests).</summary>
    public Stream? OutputStream { get; init; }

    /// <summary>
    /// Writes one JSON document and a newline to <see cref="Output"/>. On the real process it is
    /// serialized straight to standard output as UTF-8: lint's report on a thousand files is
    /// megabytes, and building it as a string to re-encode it took a fifth of lint's time.
    /// </summary>
    public async Task WriteJsonAsync<T>(T value, JsonTypeInfo<T> type)
    {
        if (OutputStream is null)
        {
            await Output.WriteLineAsync(JsonSerializer.Serialize(value, type));
            return;
        }
        await Output.FlushAsync();
        await JsonSerializer.SerializeAsync(OutputStream, value, type);
        OutputStream.WriteByte((byte)'\n');
        await OutputStream.FlushAsync();
    }

    /// <summary>The real process: console streams, environment variables, current folder.</summary>
    public static CliContext FromProcess()
    {
        var redirected = System.Console.IsOutputRedirected;
        var stream = System.Console.OpenStandardOutput();
        // A terminal gets every piece at once (a prompt, a spinner); a pipe or a file whole lines.
        var output = redirected ? TextWriter.Synchronized(new LineFlushingWriter(stream)) : System.Console.Out;
        return new(output, System.Console.Error, System.Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), !redirected)
        {
            OutputStream = stream,
        };
    }
}
