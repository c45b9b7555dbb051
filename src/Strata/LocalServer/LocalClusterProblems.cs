namespace Strata.LocalServer;

/// <summary>Problems with the local clusters Strata runs, each worded in one place.</summary>
internal static class LocalClusterProblems
{
    public static Problem SocketPathTooLong(string socket, int limit) => new(ProblemKind.BadInput, "socket-path-too-long",
        $"the local cluster's socket would be {socket}, longer than the {limit} bytes a unix socket path may have.",
        Hint: "Move the project to a shorter path, or give a target with --url, --env or DATABASE_URL.");
}
