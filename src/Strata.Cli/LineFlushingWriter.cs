using System.Text;

namespace Strata.Cli;

/// <summary>
/// Standard output when it is a pipe or a file: whole lines reach it at once. Console.Out writes
/// every piece it is given straight away, and a progress line is four pieces (state, version,
/// duration, newline), so applying a thousand migrations made four thousand write calls. A
/// line is still written as soon as it ends, so a CI log follows the run as it happens and the
/// order against standard error is kept.
/// </summary>
internal sealed class LineFlushingWriter(Stream stream) : TextWriter
{
    private readonly StreamWriter _inner = new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 4096) { AutoFlush = false };

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value)
    {
        _inner.Write(value);
        if (value == '\n') _inner.Flush();
    }

    public override void Write(string? value)
    {
        _inner.Write(value);
        if (value is not null && value.Contains('\n')) _inner.Flush();
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        _inner.Write(buffer);
        if (buffer.Contains('\n')) _inner.Flush();
    }

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void WriteLine() => Write('\n');

    public override void WriteLine(string? value)
    {
        _inner.Write(value);
        Write('\n');
    }

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync() => _inner.FlushAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Flush();
        base.Dispose(disposing);
    }
}
