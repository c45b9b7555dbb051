using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Integration;

/// <summary>Every safety gate of <c>up</c> comes back the same way: exit 3, and one object at <c>refusal</c> in the JSON document.</summary>
public class RefusalTests(PostgresServer server)
{
    private static JsonElement Refusal(CliResult up)
    {
        up.ExitCode.Should().Be(3, up.All);
        using var json = JsonDocument.Parse(up.Stdout);
        json.RootElement.GetProperty("exit_code").GetInt32().Should().Be(3);
        json.RootElement.TryGetProperty("errors", out _).Should().BeFalse("a refusal is the run's own outcome, not an error document");
        json.RootElement.GetProperty("applied").GetArrayLength().Should().Be(0);
        var refusal = json.RootElement.GetProperty("refusal").Clone();
        refusal.GetProperty("kind").GetString().Should().Be("refused");
        return refusal;
    }

    [Fact]
    public async Task Drift_is_a_refusal_at_the_refusal_path()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        var path = dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        File.AppendAllText(path, "-- edited\n");
        dir.Write("20251002000000_b.sql", "-- B\n-- migrate:up\nCREATE TABLE b (id int);\n");

        var refusal = Refusal(await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json"));

        refusal.GetProperty("code").GetString().Should().Be("drift");
        refusal.GetProperty("file").GetString().Should().Be(path);
        (await db.TableExistsAsync("b")).Should().BeFalse();
    }

    [Fact]
    public async Task Out_of_order_is_a_refusal_at_the_refusal_path()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251003000000_c.sql", "-- C\n-- migrate:up\nCREATE TABLE c (id int);\n");
        (await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url)).ExitCode.Should().Be(0);
        dir.Write("20251002000000_b.sql", "-- B\n-- migrate:up\nCREATE TABLE b (id int);\n");

        var refusal = Refusal(await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--json"));

        refusal.GetProperty("code").GetString().Should().Be("out-of-order");
        refusal.GetProperty("message").GetString().Should().Contain("20251002000000_b.sql");
    }

    [Fact]
    public async Task A_busy_lock_is_a_refusal_at_the_refusal_path_naming_the_holder()
    {
        await using var db = await server.CreateDatabaseAsync();
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nCREATE TABLE a (id int);\n");
        await using var holder = await db.HoldMigrationLockAsync();

        var refusal = Refusal(await StrataCli.RunAsync(dir.Root, "up", "--url", db.Url, "--lock-wait", "200ms", "--json"));

        refusal.GetProperty("code").GetString().Should().Be("lock-busy");
        refusal.GetProperty("message").GetString().Should().Contain($"pid {holder.Connection.ProcessID}");
        (await db.TableExistsAsync("a")).Should().BeFalse();
    }

    [Fact]
    public async Task A_bad_folder_is_still_the_error_document_with_exit_2()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_a.sql", "-- A\n-- migrate:up\nSELECT 1;\n");
        dir.Write("20251001000000_b.sql", "-- B\n-- migrate:up\nSELECT 1;\n");

        var up = await StrataCli.RunAsync(dir.Root, "up", "--url", "postgresql://nobody@127.0.0.1:1/none", "--json");

        up.ExitCode.Should().Be(2);
        using var json = JsonDocument.Parse(up.Stdout);
        json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be("duplicate-timestamp");
    }
}
