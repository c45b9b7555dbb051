using System.Diagnostics;

namespace Strata.LocalServer;

/// <summary>
/// Finds the PostgreSQL server programs (initdb, pg_ctl, postgres): STRATA_PG_BIN, then PATH,
/// then <c>pg_config --bindir</c>, then the newest <c>/usr/lib/postgresql/*/bin</c>.
/// </summary>
public sealed record PostgresBinaries(string BinDirectory)
{
    /// <summary>Path of one program in the bin directory.</summary>
    public string Program(string name) => Path.Combine(BinDirectory, name);

    /// <summary>Finds the binaries or throws a problem saying how to install them.</summary>
    public static PostgresBinaries Find(Func<string, string?> environment)
    {
        foreach (var candidate in Candidates(environment))
        {
            if (File.Exists(Path.Combine(candidate, "initdb")) && File.Exists(Path.Combine(candidate, "pg_ctl")))
                return new PostgresBinaries(candidate);
        }
        throw new StrataException(new Problem(ProblemKind.BadInput, "postgres-not-installed",
            "no PostgreSQL server programs (initdb, pg_ctl) were found for the local cluster.",
            Hint: "Install the server (Debian/Ubuntu: apt-get install postgresql), set STRATA_PG_BIN to its bin folder, or give a target with --url, --env or DATABASE_URL."));
    }

    private static IEnumerable<string> Candidates(Func<string, string?> environment)
    {
        if (environment("STRATA_PG_BIN") is { Length: > 0 } explicitBin) yield return explicitBin;
        foreach (var dir in (environment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb)) continue;
            // Debian links initdb into /usr/local/bin or /usr/bin; the real folder also holds postgres.
            var resolved = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
            yield return Path.GetDirectoryName(resolved)!;
        }
        if (PgConfigBinDir() is { } fromPgConfig) yield return fromPgConfig;
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            foreach (var dir in Directory.GetDirectories("/usr/lib/postgresql")
                         .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                yield return Path.Combine(dir, "bin");
        }
    }

    private static string? PgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            });
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
