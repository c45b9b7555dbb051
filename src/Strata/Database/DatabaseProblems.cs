using System.Net.Sockets;
using Npgsql;

namespace Strata.Database;

/// <summary>Problems with targets and connections, each made in one place.</summary>
internal static class DatabaseProblems
{
    private const string UsableForms =
        "Use a PostgreSQL URL (postgresql://user@host:5432/db?sslmode=require, with the password after the user name or in PGPASSWORD) or Npgsql key=value pairs (Host=...;Database=...;Username=...).";

    /// <summary><paramref name="shown"/> is the text after <see cref="Redactor.MaskConnectionString"/>.</summary>
    public static Problem BadUrl(string shown, string why) => new(ProblemKind.BadInput, "bad-connection-string",
        $"'{shown}' is not a usable connection string: {why}.",
        Hint: UsableForms);

    /// <summary>A URL of another database or driver (mysql://, jdbc:postgresql://, a typo such as postgresq://).</summary>
    public static Problem UnsupportedScheme(string shown, string scheme) => new(ProblemKind.BadInput, "bad-connection-string",
        $"'{shown}' is not a usable connection string: Strata reads postgresql:// and postgres:// URLs, not {scheme}://.",
        Hint: scheme.StartsWith("jdbc:", StringComparison.OrdinalIgnoreCase)
            ? "Drop the 'jdbc:' prefix: the rest is a PostgreSQL URL Strata reads as it is."
            : UsableForms);

    /// <summary>An '@' after the host: an unencoded '/', '?' or '@' in the password, or an '@' in a database name or parameter.</summary>
    public static Problem AtAfterHost(string shown) => new(ProblemKind.BadInput, "bad-connection-string",
        $"'{shown}' is not a usable connection string: it has an '@' after the host, so where the password ends is unclear.",
        Hint: "Percent-encode the password and any other value that holds one of these characters: '@' as %40, '/' as %2F, '?' as %3F, '&' as %26 (or give the password in PGPASSWORD).");

    public static Problem CannotConnect(ConnectionTarget target, string why) => new(ProblemKind.CannotConnect, "cannot-connect",
        $"cannot connect to {target.Display}: {target.Redactor.Redact(why)}.",
        Hint: "Check that the server is running and reachable, and the host, port and database name.");

    public static Problem LoginRefused(ConnectionTarget target, string why) => new(ProblemKind.CannotConnect, "login-refused",
        $"the server at {target.Display} refused the login: {target.Redactor.Redact(why)}.",
        Hint: "Check the user name and password (the password is never shown).");

    public static Problem MissingPassword(ConnectionTarget target) => new(ProblemKind.CannotConnect, "login-refused",
        $"the server at {target.Display} asks for a password, and none was given.",
        Hint: "Put it in the URL (postgresql://user:PASSWORD@host/db, percent-encoded), in PGPASSWORD, or in ~/.pgpass; the password is never shown.");

    public static Problem LockBusy(string target, TimeSpan waited, string holder) => new(ProblemKind.Refused, "lock-busy",
        $"another migration run holds the lock on {target} ({holder}); gave up after {waited.TotalSeconds:0.#}s.",
        Hint: "Wait for it to finish, or raise --lock-wait. If that session is stuck, end it with SELECT pg_terminate_backend(pid).");

    /// <summary>The server refused something outside a migration (e.g. no privilege on the history table).</summary>
    public static Problem ServerRefused(ConnectionTarget target, PostgresException ex) => new(ProblemKind.OperationFailed, "server-error",
        $"the server refused: {ex.SqlState}: {target.Redactor.Redact(ex.MessageText)}.",
        Hint: ex.SqlState == "42501"
            ? "The role needs privileges on the history tables and the objects the migrations change: docs/commands.md#privileges lists the grants."
            : null);

    /// <summary>The connection broke after it was opened (server restarted, backend terminated, network gone).</summary>
    public static Problem ConnectionLost(ConnectionTarget target, Exception ex) => new(ProblemKind.CannotConnect, "connection-lost",
        $"the connection to {target.Display} failed: {target.Redactor.Redact(ex.Message)}.",
        Hint: "Check the server; 'strata status' shows what was recorded before the failure.");

    /// <summary>The connection broke while a migration ran; <paramref name="recorded"/> says whether the attempt is on record.</summary>
    public static Problem ConnectionLostDuring(ConnectionTarget target, string version, bool transactional, bool recorded, Exception ex) =>
        new(ProblemKind.CannotConnect, "connection-lost",
            $"the connection to {target.Display} failed while {version} ran: {target.Redactor.Redact(ex.Message)}.",
            Hint: transactional
                ? "The migration ran in one transaction, so none of it was kept. " +
                  (recorded ? "The attempt is recorded as failed; " : "The attempt could not be recorded (the server was unreachable); ") +
                  "run 'strata up' again once the server is back."
                : "It ran statement by statement and is recorded as interrupted: once the server is back, 'strata status' shows which statements took effect and what to do.");

    /// <summary>Maps a failure to open a connection to the problem a user can act on.</summary>
    public static Problem OpenFailed(ConnectionTarget target, Exception ex) => ex switch
    {
        PostgresException { SqlState: "28P01" or "28000" } pg => LoginRefused(target, pg.MessageText),
        PostgresException { SqlState: "3D000" } pg => CannotConnect(target, pg.MessageText),
        PostgresException pg => CannotConnect(target, $"{pg.SqlState}: {pg.MessageText}"),
        NpgsqlException { InnerException: SocketException socket } => CannotConnect(target, socket.Message),
        NpgsqlException { InnerException: TimeoutException } => CannotConnect(target, "the connection timed out"),
        // The server was reached and asked for a password the target does not have: a login
        // problem, not "is the server running?".
        NpgsqlException npgsql when npgsql.Message.Contains("No password has been provided", StringComparison.Ordinal) => MissingPassword(target),
        NpgsqlException npgsql => CannotConnect(target, npgsql.Message),
        SocketException socket => CannotConnect(target, socket.Message),
        TimeoutException => CannotConnect(target, "the connection timed out"),
        _ => CannotConnect(target, ex.Message),
    };
}
