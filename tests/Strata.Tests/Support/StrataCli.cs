using Strata.Cli;

namespace Strata.Tests.Support;

/// <summary>What one in-memory run of the CLI produced.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string All => Stdout + Stderr;
}

/// <summary>
/// Runs the real command tree in memory (STYLE habit 9): exit code, stdout and stderr, with an
/// environment of the test's choosing. Every run is checked for the canary password.
/// </summary>
public static class StrataCli
{
    /// <summary>
    /// A native strata executable to run instead of the in-memory tree (bench/native-tests.sh
    /// sets STRATA_TEST_BINARY after publishing it), so the same tests prove the shipped binary.
    /// </summary>
    public static readonly string? Binary = Environment.GetEnvironmentVariable("STRATA_TEST_BINARY") is { Length: > 0 } path ? path : null;

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        if (Binary is not null) return Checked(await RunBinaryAsync(workingDirectory, environment, args));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = environment ?? new Dictionary<string, string>();
        string? Lookup(string name) => env.TryGetValue(name, out var value) ? value
            : name is "PATH" or "HOME" ? Environment.GetEnvironmentVariable(name) : null;
        var context = new CliContext(stdout, stderr, Lookup, workingDirectory, outputIsTerminal: false);
        var exitCode = await StrataApp.RunAsync(args, context);
        return Checked(new CliResult(exitCode, stdout.ToString(), stderr.ToString()));
    }

    private static CliResult Checked(CliResult result)
    {
        result.All.Should().NotContain(PostgresServer.CanaryPassword, "a password must never appear in output");
        result.All.Should().NotContain(Uri.EscapeDataString(PostgresServer.CanaryPassword), "a password must never appear in output");
        result.All.Should().NotContain("   at ", "no stack trace may reach the user");
        return result;
    }

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    /// <summary>The native binary with the same environment the in-memory run sees: the test's variables, PATH and HOME, nothing else.</summary>
    private static async Task<CliResult> RunBinaryAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Binary!)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME" })
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
