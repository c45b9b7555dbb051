using System.Net.Sockets;
using Npgsql;

namespace Strata.Database;

/// <summary>
/// Turns the driver's exceptions into Strata's one typed fault, <see cref="StrataException"/>,
/// at the library's edge, so no caller (the CLI, an embedding application) needs to know Npgsql.
/// A migration's own SQL errors never get here: they are results (a failed migration).
/// </summary>
internal static class DatabaseFaults
{
    /// <summary>Runs <paramref name="work"/> against <paramref name="target"/>, translating driver faults.</summary>
    public static async Task<T> TranslateAsync<T>(ConnectionTarget target, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (PostgresException ex)
        {
            throw new StrataException(DatabaseProblems.ServerRefused(target, ex));
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            throw new StrataException(DatabaseProblems.ConnectionLost(target, ex));
        }
    }
}
