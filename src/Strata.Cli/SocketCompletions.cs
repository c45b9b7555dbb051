using System.Net;
using System.Net.Sockets;

namespace Strata.Cli;

/// <summary>
/// Runs socket continuations on .NET's socket thread instead of handing each to the thread
/// pool. A run is a thousand round trips in a row with nothing else to do, and every reply
/// went from the socket thread to a pool thread: five context switches per migration, a third
/// of the client's CPU on 'up' of 1,000 files, taken from the PostgreSQL backend on a small
/// machine. The switch is an environment variable the socket engine reads once, when it
/// starts; it is set, the engine started with one UDP receive that waits for nothing, and the
/// variable removed again, so that no program Strata starts (pg_ctl, pg_dump, a deploy's smoke
/// command, which may be a .NET application) inherits it. A value the user set is left alone.
/// </summary>
internal static class SocketCompletions
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void RunInline()
    {
        if (Environment.GetEnvironmentVariable(Variable) is not null) return;
        Environment.SetEnvironmentVariable(Variable, "1");
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            using var stop = new CancellationTokenSource();
            var waiting = socket.ReceiveAsync(new byte[1], SocketFlags.None, stop.Token);
            stop.Cancel();
            try { waiting.AsTask().Wait(); }
            catch (AggregateException) { /* cancelled, as intended */ }
        }
        catch (SocketException)
        {
            // No loopback UDP (a locked-down sandbox): Strata runs as well with pool continuations.
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }
}
