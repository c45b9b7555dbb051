using System.Diagnostics;
using Npgsql;
using Strata.Database;
using Strata.LocalServer;

namespace Strata.Deploying;

/// <summary>
/// The backup a deploy takes before it applies anything: <c>pg_dump -Fc</c> into a timestamped
/// file (the default), a configured command (<c>command: ...</c>, with <c>STRATA_BACKUP_FILE</c>
/// naming the file it should write), or none. The file is checked to exist and not be empty
/// before anything is applied: a backup step that "succeeded" without a backup is the failure
/// found out on the day it is needed.
/// </summary>
internal static class DeployBackup
{
    /// <summary>The file written, null for <c>backup = "none"</c>; throws <see cref="StrataException"/> when no usable backup was made.</summary>
    public static async Task<string?> RunAsync(BackupPlan? setting, ConnectionTarget target, string environmentName, string folder, DateTimeOffset now,
        Func<string, string?> environment, CancellationToken cancellationToken)
    {
        // Not set is pg_dump: a deploy backs up unless the environment says "none" on purpose.
        var plan = setting ?? new BackupPlan(BackupKind.PgDump);
        if (plan.Kind == BackupKind.None) return null;
        var kind = plan.ToString();
        // A dump holds every row of the database: only its owner may read it.
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var file = Path.Combine(folder, $"{environmentName}-{now.UtcDateTime:yyyyMMddHHmmss}.dump");
        var builder = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        ProcessStartInfo start;
        if (plan.Kind == BackupKind.Command)
        {
            start = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", plan.Command! } };
            start.Environment["STRATA_BACKUP_FILE"] = file;
        }
        else
        {
            start = new ProcessStartInfo(PgDump(environment)) { ArgumentList = { "--format=custom", "--no-password", "--file", file } };
        }
        // The connection goes through libpq's own variables: a password on a command line is
        // visible to every user of the machine in the process list.
        start.Environment["PGHOST"] = builder.Host;
        start.Environment["PGPORT"] = builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = builder.Database;
        start.Environment["PGUSER"] = builder.Username;
        if (!string.IsNullOrEmpty(builder.Password)) start.Environment["PGPASSWORD"] = builder.Password;
        start.Environment["PGSSLMODE"] = ConnectionTarget.LibpqSslMode(builder.SslMode);
        start.RedirectStandardError = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new StrataException(Failed(kind, "it did not start"));
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var error = target.Redactor.Redact((await stderr).Trim());
        await stdout;
        if (process.ExitCode != 0) throw new StrataException(Failed(kind, $"it exited {process.ExitCode}{(error.Length > 0 ? ": " + error : "")}"));
        if (!File.Exists(file) || new FileInfo(file).Length == 0) throw new StrataException(Failed(kind, $"it left no backup at {file} (or an empty one)"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    private static string PgDump(Func<string, string?> environment)
    {
        // The server programs' folder holds pg_dump of the same version; else whatever PATH has.
        try
        {
            var program = PostgresBinaries.Find(environment).Program("pg_dump");
            if (File.Exists(program)) return program;
        }
        catch (StrataException)
        {
            // No server programs here (a CI runner with only the client): PATH then.
        }
        return "pg_dump";
    }

    private static Problem Failed(string kind, string why) => new(ProblemKind.OperationFailed, "backup-failed",
        $"the backup before the deploy failed ({kind}): {why}. Nothing was applied.",
        Hint: "Fix the backup (pg_dump on PATH and able to reach the database, or the configured command), or set backup = \"none\" for an environment that needs none.");
}
