using Strata.LocalServer;
using Strata.Tests.Support;

namespace Strata.Tests.LocalServer;

/// <summary>Local clusters trust their socket, so only the server's OS user may reach it; a password never sits in a readable file.</summary>
public class LocalClusterTests(PostgresServer server)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public void The_socket_folder_is_reachable_by_its_owner_only() =>
        new DirectoryInfo(server.Cluster.Options.SocketDirectory!).UnixFileMode.Should().Be(OwnerOnly);

    [Fact]
    public async Task The_password_file_for_initdb_is_private_from_the_moment_it_exists()
    {
        var path = Path.Combine(Path.GetTempPath(), $"strata-test-{Guid.NewGuid():N}");
        try
        {
            await LocalCluster.WritePrivateFileAsync(path, PostgresServer.CanaryPassword, CancellationToken.None);

            new FileInfo(path).UnixFileMode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
