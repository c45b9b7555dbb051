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

    [Fact]
    public async Task A_cluster_with_neither_a_socket_nor_a_password_is_not_made()
    {
        using var dir = new MigrationDirectory();
        var cluster = new LocalCluster(PostgresBinaries.Find(Environment.GetEnvironmentVariable),
            new ClusterOptions(Path.Combine(dir.Root, "data"), LocalCluster.FreePort()));

        await cluster.Invoking(c => c.InitAsync()).Should().ThrowAsync<InvalidOperationException>().WithMessage("*never trusts TCP logins*");
        Directory.Exists(Path.Combine(dir.Root, "data")).Should().BeFalse();
    }

    [Fact]
    public async Task A_socket_path_longer_than_unix_allows_is_refused_before_initdb()
    {
        using var dir = new MigrationDirectory();
        var project = Path.Combine(dir.Root, new string('p', 100));
        Directory.CreateDirectory(Path.Combine(project, "migrations"));

        var up = await StrataCli.RunAsync(project, "up");

        up.ExitCode.Should().Be(2);
        up.Stderr.Should().Contain("socket").And.Contain("107 bytes").And.Contain("--url");
        Directory.Exists(Path.Combine(project, ".strata", "pgdata")).Should().BeFalse();
    }
}
