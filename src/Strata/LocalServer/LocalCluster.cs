using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;
using Strata.Database;

namespace Strata.LocalServer;

/// <summary>How a local cluster is laid out and tuned.</summary>
/// <param name="DataDirectory">The cluster's data folder (created by initdb).</param>
/// <param name="Port">The TCP port (also names the unix socket file).</param>
/// <param name="SocketDirectory">
/// Where the unix socket goes; null for none (then a password is required). Socket logins are
/// trusted, so the folder is made mode 0700 and owned by the OS user that runs the server: only
/// that user and root can reach the socket.
/// </param>
/// <param name="SuperuserPassword">
/// When set, the server also listens on 127.0.0.1 and TCP logins need this password
/// (scram-sha-256). Without it there is no TCP listener, so a cluster needs one or the other.
/// </param>
/// <param name="Durable">False turns fsync and synchronous_commit off: for throwaway test clusters only.</param>
public sealed record ClusterOptions(string DataDirectory, int Port, string? SocketDirectory = null, string? SuperuserPassword = null, bool Durable = true);

/// <summary>
/// A PostgreSQL cluster run from the machine's server binaries: the development default target,
/// scratch clusters, and the test suite's server. PostgreSQL refuses to run as root, so as root
/// every server program runs as the unprivileged <c>postgres</c> OS user, which owns the data folder.
/// </summary>
public sealed partial class LocalCluster(PostgresBinaries binaries, ClusterOptions options)
{
    /// <summary>The OS user that runs the server when Strata itself runs as root.</summary>
    public const string ServerUser = "postgres";

    /// <summary>The superuser role initdb creates.</summary>
    public const string Superuser = "postgres";

    /// <summary>The options this cluster was made with.</summary>
    public ClusterOptions Options { get; } = options;

    /// <summary>True once initdb has run in the data folder.</summary>
    public bool IsInitialised => File.Exists(Path.Combine(Options.DataDirectory, "PG_VERSION"));

    /// <summary>
    /// True when a server runs on the data folder. Asks pg_ctl rather than trusting
    /// postmaster.pid, which a crash or reboot leaves behind.
    /// </summary>
    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken = default) =>
        IsInitialised && await RunServerProgramAsync("pg_ctl", ["-D", Options.DataDirectory, "status"], cancellationToken, allowFailure: true) == 0;

    /// <summary>
    /// True when the server's pid file names a live process and its socket is in place: what
    /// <c>pg_ctl status</c> reads, without starting pg_ctl (as root, two processes, which took
    /// longer than the rest of a no-op <c>up</c>). False whenever it cannot tell (no socket folder,
    /// no /proc): <see cref="IsRunningAsync"/> then asks pg_ctl.
    /// </summary>
    public bool AppearsRunning()
    {
        if (Options.SocketDirectory is not { } socketDirectory || !File.Exists(SocketPath(socketDirectory, Options.Port))) return false;
        try
        {
            var pidLine = File.ReadLines(Path.Combine(Options.DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(pidLine, out var pid) && pid > 0 && Directory.Exists($"/proc/{pid}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A TCP port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs initdb and writes the cluster's settings.</summary>
    public async Task InitAsync(CancellationToken cancellationToken = default)
    {
        if (Options.SocketDirectory is null && Options.SuperuserPassword is null)
            throw new InvalidOperationException("a local cluster needs a socket folder or a superuser password: it never trusts TCP logins");
        CheckSocketPath();
        Directory.CreateDirectory(Options.DataDirectory);
        await PrepareSocketDirectoryAsync(cancellationToken);
        string? passwordFile = null;
        try
        {
            await GiveToServerUserAsync(Options.DataDirectory, cancellationToken);
            // Trust on the socket is safe because of the folder's mode; over TCP any local OS user
            // could connect, so TCP takes the password or nothing.
            List<string> args = ["-D", Options.DataDirectory, "-U", Superuser, "--encoding=UTF8", "--locale=C", "--auth-local=trust", "--no-instructions"];
            if (Options.SuperuserPassword is not null)
            {
                passwordFile = Path.Combine(Path.GetTempPath(), $"strata-pw-{Guid.NewGuid():N}");
                await WritePrivateFileAsync(passwordFile, Options.SuperuserPassword + "\n", cancellationToken);
                await GiveToServerUserAsync(passwordFile, cancellationToken);
                args.AddRange(["--auth-host=scram-sha-256", "--pwfile", passwordFile]);
            }
            else
            {
                args.Add("--auth-host=reject");
            }
            if (!Options.Durable) args.Add("--no-sync");
            await RunServerProgramAsync("initdb", args, cancellationToken);
        }
        finally
        {
            if (passwordFile is not null) File.Delete(passwordFile);
        }
        var settings = new List<string>
        {
            "", "# written by strata",
            $"port = {Options.Port}",
            $"listen_addresses = '{(Options.SuperuserPassword is null ? "" : "127.0.0.1")}'",
            $"unix_socket_directories = {SocketDirectoriesSetting()}",
            "max_connections = 200",
        };
        if (!Options.Durable) settings.AddRange(["fsync = off", "synchronous_commit = off", "full_page_writes = off"]);
        await File.AppendAllLinesAsync(Path.Combine(Options.DataDirectory, "postgresql.conf"), settings, cancellationToken);
    }

    /// <summary>Starts the server and waits until it accepts connections.</summary>
    public Task<int> StartAsync(CancellationToken cancellationToken = default) =>
        RunServerProgramAsync("pg_ctl", ["-D", Options.DataDirectory, "-l", Path.Combine(Options.DataDirectory, "server.log"), "-w", "-t", "60", "start"], cancellationToken);

    /// <summary>Stops the server (fast shutdown: open sessions are ended).</summary>
    public Task<int> StopAsync(CancellationToken cancellationToken = default) =>
        RunServerProgramAsync("pg_ctl", ["-D", Options.DataDirectory, "-m", "fast", "-w", "stop"], cancellationToken);

    /// <summary>
    /// Turns a cluster made by an older Strata, which listened on 127.0.0.1 and trusted every TCP
    /// login (so every local OS user was its superuser), into a socket-only one in
    /// <see cref="ClusterOptions.SocketDirectory"/>. Its data is kept; a running server is restarted.
    /// </summary>
    internal async Task CloseTcpListenerAsync(CancellationToken cancellationToken = default)
    {
        if (Options.SocketDirectory is null) throw new InvalidOperationException("closing the TCP listener needs a socket folder");
        await PrepareSocketDirectoryAsync(cancellationToken);
        string[] settings = ["", "# written by strata: socket only, in a folder only its owner can reach", "listen_addresses = ''",
            $"unix_socket_directories = {SocketDirectoriesSetting()}"];
        await File.AppendAllLinesAsync(Path.Combine(Options.DataDirectory, "postgresql.conf"), settings, cancellationToken);
        // Should someone turn TCP back on, it must not come back trusting everyone.
        var hba = Path.Combine(Options.DataDirectory, "pg_hba.conf");
        var lines = await File.ReadAllLinesAsync(hba, cancellationToken);
        await File.WriteAllLinesAsync(hba, lines.Select(line => TrustedHostLine().Replace(line, "${head}reject")), cancellationToken);
        if (await IsRunningAsync(cancellationToken))
            await RunServerProgramAsync("pg_ctl", ["-D", Options.DataDirectory, "-l", Path.Combine(Options.DataDirectory, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"], cancellationToken);
    }

    /// <summary>A target for one database, over the unix socket when there is one, else TCP.</summary>
    public ConnectionTarget Target(string database, bool overTcp = false)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Options.SocketDirectory is not null && !overTcp ? Options.SocketDirectory : "127.0.0.1",
            Port = Options.Port,
            Username = Superuser,
            Database = database,
        };
        if (overTcp && Options.SuperuserPassword is not null) builder.Password = Options.SuperuserPassword;
        return ConnectionTarget.Parse(builder.ConnectionString, "local cluster");
    }

    /// <summary>Creates a database if it does not exist.</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var session = await DatabaseSession.OpenAsync(Target("postgres"), cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", session.Connection);
        exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null) return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"")}\"", session.Connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"^(?<head>\s*host\S*\s.*\s)trust\s*$")]
    private static partial Regex TrustedHostLine();

    /// <summary>
    /// The longest socket path PostgreSQL and the kernel accept: sun_path holds 108 bytes with
    /// its terminating zero.
    /// </summary>
    private const int MaxSocketPathBytes = 107;

    /// <summary>The path of the socket file the server creates in <paramref name="directory"/> for <paramref name="port"/>.</summary>
    private static string SocketPath(string directory, int port) => Path.Combine(directory, $".s.PGSQL.{port}");

    private async Task PrepareSocketDirectoryAsync(CancellationToken cancellationToken)
    {
        if (Options.SocketDirectory is not { } directory) return;
        CheckSocketPath();
        if (Path.GetDirectoryName(directory) is { } parent) Directory.CreateDirectory(parent);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, PrivateFolder);
            // An existing folder keeps its mode through CreateDirectory; the socket is trusted, so set it.
            File.SetUnixFileMode(directory, PrivateFolder);
        }
        await GiveToServerUserAsync(directory, cancellationToken);
    }

    private void CheckSocketPath()
    {
        if (Options.SocketDirectory is not { } directory) return;
        var socket = SocketPath(directory, Options.Port);
        if (Encoding.UTF8.GetByteCount(socket) > MaxSocketPathBytes)
            throw new StrataException(LocalClusterProblems.SocketPathTooLong(socket, MaxSocketPathBytes));
    }

    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes a file that is mode 0600 from the moment it exists, so no other OS user can read it even briefly.</summary>
    internal static async Task WritePrivateFileAsync(string path, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var stream = new FileStream(path, options);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    private string SocketDirectoriesSetting() =>
        // A list setting: the double quotes keep a folder with a space or comma whole.
        Options.SocketDirectory is { } directory ? $"'\"{directory.Replace("'", "''")}\"'" : "''";

    private static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    private async Task GiveToServerUserAsync(string path, CancellationToken cancellationToken)
    {
        if (!RunsAsRoot) return;
        await RunAsync("chown", ["-R", $"{ServerUser}:{ServerUser}", path], cancellationToken);
    }

    private Task<int> RunServerProgramAsync(string program, IReadOnlyList<string> args, CancellationToken cancellationToken, bool allowFailure = false) =>
        RunsAsRoot
            ? RunAsync("runuser", ["-u", ServerUser, "--", binaries.Program(program), .. args], cancellationToken, allowFailure)
            : RunAsync(binaries.Program(program), args, cancellationToken, allowFailure);

    private async Task<int> RunAsync(string program, IReadOnlyList<string> args, CancellationToken cancellationToken, bool allowFailure = false)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            // The server user may not be allowed into the caller's working folder.
            WorkingDirectory = "/",
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode == 0 || allowFailure) return process.ExitCode;
        var log = Path.Combine(Options.DataDirectory, "server.log");
        var tail = File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(8)) : "";
        throw new StrataException(new Problem(ProblemKind.OperationFailed, "local-cluster",
            $"'{Path.GetFileName(program)} {string.Join(' ', args)}' failed (exit {process.ExitCode}): {(await stderr).Trim()} {(await stdout).Trim()} {tail}".Trim(),
            Hint: RunsAsRoot ? $"As root the server runs as the '{ServerUser}' OS user, which must be able to reach {Options.DataDirectory}." : null));
    }
}
