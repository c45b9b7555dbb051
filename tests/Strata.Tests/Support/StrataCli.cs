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
    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var env = environment ?? new Dictionary<string, string>();
        string? Lookup(string name) => env.TryGetValue(name, out var value) ? value
            : name is "PATH" or "HOME" ? Environment.GetEnvironmentVariable(name) : null;
        var context = new CliContext(stdout, stderr, Lookup, workingDirectory, outputIsTerminal: false);
        var exitCode = await StrataApp.RunAsync(args, context);
        var result = new CliResult(exitCode, stdout.ToString(), stderr.ToString());
        result.All.Should().NotContain(PostgresServer.CanaryPassword, "a password must never appear in output");
        result.All.Should().NotContain(Uri.EscapeDataString(PostgresServer.CanaryPassword), "a password must never appear in output");
        result.All.Should().NotContain("   at ", "no stack trace may reach the user");
        return result;
    }

    public static Task<CliResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);
}
