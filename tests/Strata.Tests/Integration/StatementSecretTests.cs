using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>A role's password written in a failing statement is as secret as a connection's, in text, JSON and history.</summary>
public class StatementSecretTests(PostgresServer server)
{
    [Fact]
    public async Task A_failing_statement_with_a_password_literal_is_masked_everywhere()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_role.sql",
            $"-- Role\n-- migrate:up\nALTER ROLE no_such_role_{db.Name} WITH LOGIN PASSWORD '{PostgresServer.CanaryPassword}';\n");

        var json = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json");
        var text = await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url);

        json.ExitCode.Should().Be(1);
        using var document = JsonDocument.Parse(json.Stdout);
        document.RootElement.GetProperty("failure").GetProperty("statement").GetString().Should().Contain("PASSWORD '********'");
        text.ExitCode.Should().Be(1);
        var recorded = await db.ScalarAsync<string>("SELECT string_agg(h::text, ' ') FROM schema_versions h") +
                       await db.ScalarAsync<string>("SELECT string_agg(e::text, ' ') FROM schema_version_events e");
        recorded.Should().NotContain(PostgresServer.CanaryPassword);
    }
}
