using System.Diagnostics;

namespace Strata.Deploying;

/// <summary>
/// The environment's smoke test after a deploy: <c>/bin/sh -c</c> the configured command, with
/// <c>STRATA_ENV</c> and <c>DATABASE_URL</c> set, as the strategy's deploy script runs its tests.
/// </summary>
internal static class SmokeCommand
{
    /// <summary>The exit code and the last lines of its output (for the report).</summary>
    public static async Task<(int ExitCode, IReadOnlyList<string> Tail)> RunAsync(string command, string environmentName, string databaseUrl, string workingDirectory,
        Database.Redactor redactor, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", command },
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["STRATA_ENV"] = environmentName;
        start.Environment["DATABASE_URL"] = databaseUrl;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("/bin/sh did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        // A test that prints its DATABASE_URL must not put the password into the report.
        var lines = ((await stdout) + (await stderr)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(redactor.Redact).ToList();
        return (process.ExitCode, lines.TakeLast(10).ToList());
    }
}
