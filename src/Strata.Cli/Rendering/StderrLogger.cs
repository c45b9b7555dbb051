using Microsoft.Extensions.Logging;
using Strata.Database;

namespace Strata.Cli.Rendering;

/// <summary>
/// What the library says on its own account (it created the dev cluster), as a <c>note:</c> line
/// on stderr: stdout stays the command's own output, and a --json document stays the only thing on it.
/// </summary>
public sealed class StderrLogger(TextWriter error) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel)) error.WriteLine($"note: {Redactor.ShapesOnly.Redact(formatter(state, exception))}");
    }
}
