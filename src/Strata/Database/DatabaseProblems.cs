namespace Strata.Database;

/// <summary>Problems with targets and connections, each made in one place.</summary>
public static class DatabaseProblems
{
    public static Problem BadUrl(string redacted, string why) => new(ProblemKind.BadInput, "bad-connection-string",
        $"'{redacted}' is not a usable connection string: {why}.",
        Hint: "Use a PostgreSQL URL (postgresql://user@host:5432/db?sslmode=require, with the password after the user name or in PGPASSWORD) or Npgsql key=value pairs (Host=...;Database=...;Username=...).");

    public static Problem CannotConnect(string target, string why) => new(ProblemKind.CannotConnect, "cannot-connect",
        $"cannot connect to {target}: {Redactor.Redact(why)}.",
        Hint: "Check that the server is running and reachable, and the host, port and database name.");

    public static Problem LoginRefused(string target, string why) => new(ProblemKind.CannotConnect, "login-refused",
        $"the server at {target} refused the login: {Redactor.Redact(why)}.",
        Hint: "Check the user name and password (the password is never shown).");

    public static Problem LockBusy(string target, TimeSpan waited, string holder) => new(ProblemKind.Refused, "lock-busy",
        $"another migration run holds the lock on {target} ({holder}); gave up after {waited.TotalSeconds:0.#}s.",
        Hint: "Wait for it to finish, or raise --lock-wait. If that session is stuck, end it with SELECT pg_terminate_backend(pid).");
}
