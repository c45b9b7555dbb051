using System.Net.Sockets;
using Npgsql;

namespace Strata.Database;

/// <summary>
/// Tells a lost connection (backend terminated, server restarting, network gone) from an error
/// in a migration's SQL: the first is exit 4 and says nothing about the migration's text, the
/// second is a failed migration to fix.
/// </summary>
internal static class ConnectionLoss
{
    /// <summary>True when <paramref name="ex"/> means the session is gone, not that a statement failed.</summary>
    public static bool Is(Exception ex) => ex switch
    {
        // Class 08: connection exception; 57P01-57P03: terminated by an administrator, a crash
        // shutdown, or a server that cannot accept connections now (it is restarting).
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState is "57P01" or "57P02" or "57P03",
        NpgsqlException => true,
        SocketException or IOException or TimeoutException => true,
        _ => false,
    };
}
