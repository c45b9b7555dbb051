using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>
/// Hardening item 9: a password typed any odd way, through any door, never reaches the output
/// (StrataCli checks every run for the canary), and the mistake still gets a clear error.
/// </summary>
public class PasswordEchoTests(PostgresServer server)
{
    private const string Canary = PostgresServer.CanaryPassword;

    public static TheoryData<string> MistakenUrls => new()
    {
        $"mysql://app:{Canary}@127.0.0.1:1/app",
        $"postgresq://app:{Canary}@127.0.0.1:1/app",
        $"jdbc:postgresql://app:{Canary}@127.0.0.1:1/app",
        $"http://app:{Canary}@127.0.0.1:1/app",
        $"postgresql://app:x/{Canary}@127.0.0.1:1/app",
        $"postgresql://app:p@ss-{Canary}@127.0.0.1:notaport/app",
        $"Host=127.0.0.1;Password='a;{Canary}",
        $"Host=127.0.0.1;sslpassword={Canary};Bogus=1",
        $"Host=127.0.0.1;Password=a b {Canary};Port=x",
    };

    [Theory]
    [MemberData(nameof(MistakenUrls))]
    public async Task A_mistaken_url_is_exit_2_in_text_and_json_and_from_database_url(string url)
    {
        using var dir = new MigrationDirectory();

        var text = await StrataCli.RunAsync(dir.Root, "status", "--url", url);
        var json = await StrataCli.RunAsync(dir.Root, "status", "--url", url, "--json");
        var fromVariable = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["DATABASE_URL"] = url }, "status");

        text.ExitCode.Should().Be(2);
        text.Stderr.Should().Contain("is not a usable connection string");
        json.ExitCode.Should().Be(2);
        json.Stdout.Should().Contain("\"code\": \"bad-connection-string\"");
        fromVariable.ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task Another_scheme_says_which_schemes_are_accepted()
    {
        using var dir = new MigrationDirectory();

        var run = await StrataCli.RunAsync(dir.Root, "status", "--url", $"mysql://app:{Canary}@db/app");

        run.Stderr.Should().Contain("'mysql://********@db/app'").And.Contain("Strata reads postgresql:// and postgres:// URLs, not mysql://");
    }

    [Theory]
    [InlineData("status")]
    [InlineData("status", "--json")]
    [InlineData("up", "--ulr")]
    public async Task A_url_the_command_line_cannot_place_is_masked_in_the_usage_error(params string[] args)
    {
        using var dir = new MigrationDirectory();

        var run = await StrataCli.RunAsync(dir.Root, [.. args, $"postgresql://app:my {Canary}@db/app"]);

        run.ExitCode.Should().Be(2);
        run.All.Should().Contain("postgresql://********@db/app");
    }

    [Fact]
    public async Task A_password_with_an_unencoded_at_logs_in()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var role = "r_" + db.Name;
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'p@ss-{Canary}'");
        await db.ExecuteAsync($"GRANT ALL ON SCHEMA public TO {role}");
        var port = new Uri(db.Url).Port;

        var status = await StrataCli.RunAsync(dir.Root, "status", "--url", $"postgresql://{role}:p@ss-{Canary}@127.0.0.1:{port}/{db.Name}");

        status.ExitCode.Should().Be(0, status.All);
        status.All.Should().NotContain("ss-").And.Contain($"postgresql://{role}@127.0.0.1:{port}/{db.Name}");
    }
}
