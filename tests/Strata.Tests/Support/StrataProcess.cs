using System.Diagnostics;

namespace Strata.Tests.Support;

/// <summary>
/// The built CLI as its own process, as an operator or a deploy script runs it: for concurrent
/// runners, signals and kills, which an in-memory run cannot show.
/// </summary>
public sealed class StrataProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private StrataProcess(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public static StrataProcess Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(StrataCli.Binary ?? "dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (StrataCli.Binary is null) start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "strata.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new StrataProcess(Process.Start(start)!);
    }

    /// <summary>Runs to the end and returns what it printed, checked for the canary password like every CLI run.</summary>
    public static async Task<CliResult> RunAsync(string workingDirectory, params string[] args)
    {
        using var process = Start(workingDirectory, args);
        return await process.WaitAsync();
    }

    /// <summary>Sends SIGTERM, as a deploy system stopping the job does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: no cleanup of any kind, as when a deploy machine dies.</summary>
    public void Kill() => _process.Kill();

    public async Task<CliResult> WaitAsync()
    {
        await _process.WaitForExitAsync();
        var result = new CliResult(_process.ExitCode, await _stdout, await _stderr);
        result.All.Should().NotContain(PostgresServer.CanaryPassword, "a password must never appear in output");
        return result;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
