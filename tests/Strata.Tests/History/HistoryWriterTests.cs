using Strata.Database;
using Strata.History;
using Strata.Tests.Support;

namespace Strata.Tests.History;

/// <summary>Every row action of the history writer, each with its event, against a real server.</summary>
public class HistoryWriterTests(PostgresServer server)
{
    private static readonly HistoryWriter Writer = new(HistoryTable.Default, "writer-test", "staging");

    private static HistoryRecord Record(string action, string? rollback = "DROP TABLE t;") =>
        new("20251001000000_t.sql", "Create t", rollback, "sha256:" + new string('a', 64),
            new MigrationMetadata { ToolVersion = "test", Action = action, StatementCount = 1, Transactional = true });

    private static async Task<TestDatabase> WithHistoryAsync(PostgresServer server)
    {
        var db = await server.CreateDatabaseAsync();
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        await HistoryStore.EnsureAsync(session, HistoryTable.Default, CancellationToken.None);
        return db;
    }

    private static async Task WriteAsync(TestDatabase db, IEnumerable<Npgsql.NpgsqlBatchCommand> commands)
    {
        await using var session = await DatabaseSession.OpenAsync(db.Target);
        await HistoryWriter.WriteAsync(session, commands, CancellationToken.None);
    }

    [Fact]
    public async Task Apply_fail_and_apply_again_update_one_row_and_append_three_events()
    {
        await using var db = await WithHistoryAsync(server);

        await WriteAsync(db, Writer.Applied(Record("apply"), 12));
        await WriteAsync(db, Writer.Failed(Record("fail") with { Metadata = Record("fail").Metadata with
            { Error = new MigrationError("boom", "22012", 3, 1, null, 0, []) } }, 5, "22012: boom (line 3)"));
        var failed = (await db.RowsAsync("SELECT status, metadata->'error'->>'sqlstate' FROM schema_versions")).Single();
        await WriteAsync(db, Writer.Applied(Record("apply"), 7));

        failed.Should().Equal("failed", "22012");
        (await db.RowsAsync("SELECT status, execution_time_ms::text, applied_by FROM schema_versions")).Single().Should().Equal("applied", "7", "writer-test");
        (await db.RowsAsync("SELECT action, environment, error FROM schema_version_events ORDER BY id")).Select(r => string.Join('|', r))
            .Should().Equal("apply|staging|", "fail|staging|22012: boom (line 3)", "apply|staging|");
    }

    [Fact]
    public async Task A_record_without_rollback_sql_keeps_the_one_the_file_inserted_itself()
    {
        await using var db = await WithHistoryAsync(server);
        await db.ExecuteAsync("""
            INSERT INTO schema_versions (version, description, rollback_sql, applied_by)
            VALUES ('20251001000000_t.sql', 'by hand', 'DROP TABLE t;', 'migration_system')
            """);

        await WriteAsync(db, Writer.Applied(Record("apply", rollback: null), 3));
        await WriteAsync(db, Writer.Applied(Record("apply", rollback: null) with { Version = "20251002000000_u.sql" }, 3));

        (await db.RowsAsync("SELECT version, rollback_sql, description, metadata->>'rollback' FROM schema_versions ORDER BY version"))
            .Select(r => string.Join('|', r)).Should().Equal("20251001000000_t.sql|DROP TABLE t;|Create t|recorded_by_file", "20251002000000_u.sql||Create t|");
    }

    [Fact]
    public async Task Rollback_marks_the_row_keeps_its_stored_sql_and_records_the_reason()
    {
        await using var db = await WithHistoryAsync(server);
        await WriteAsync(db, Writer.Applied(Record("apply"), 3));

        await WriteAsync(db, Writer.RolledBack("20251001000000_t.sql", new MigrationMetadata { Action = "rollback", Reason = "bad deploy" }, 4));

        (await db.RowsAsync("SELECT status, rollback_sql, metadata->>'reason', metadata->>'statement_count' FROM schema_versions")).Single()
            .Should().Equal("rolled_back", "DROP TABLE t;", "bad deploy", "1");
        (await db.ScalarAsync<string>("SELECT details->>'reason' FROM schema_version_events WHERE action = 'rollback'")).Should().Be("bad deploy");
    }

    [Fact]
    public async Task Repair_takes_the_new_checksum_and_baseline_records_without_running()
    {
        await using var db = await WithHistoryAsync(server);
        await WriteAsync(db, Writer.Applied(Record("apply"), 3));
        var edited = "sha256:" + new string('b', 64);

        await WriteAsync(db, Writer.Repaired("20251001000000_t.sql", edited, new MigrationMetadata { Action = "repair", Reason = "comment typo" }));
        await WriteAsync(db, Writer.Baselined(Record("baseline") with { Version = "20250101000000_existing.sql" }));

        (await db.ScalarAsync<string>("SELECT checksum FROM schema_versions WHERE version = '20251001000000_t.sql'")).Should().Be(edited);
        (await db.RowsAsync("SELECT status, execution_time_ms::text FROM schema_versions WHERE version = '20250101000000_existing.sql'")).Single()
            .Should().Equal("applied", "0");
        (await db.RowsAsync("SELECT action FROM schema_version_events ORDER BY id")).Select(r => r[0]).Should().Equal("apply", "repair", "baseline");
    }

    [Fact]
    public void Metadata_round_trips_and_hand_written_json_is_not_mistaken_for_strata_s()
    {
        var metadata = new MigrationMetadata
        {
            ToolVersion = "1.2.3", Action = "fail", GitCommit = new string('c', 40), StatementCount = 2, AffectedTables = ["a", "b"],
            Error = new MigrationError("m", "23505", 4, 2, "Key (v)=(1) is duplicated.", 1, ["public.i"]),
        };

        MigrationMetadata.Read(metadata.ToJson()).Should().BeEquivalentTo(metadata);
        metadata.ToJson().Should().Contain("\"sqlstate\":\"23505\"").And.Contain("\"git_commit\"").And.NotContain("\"environment\"");
        MigrationMetadata.Read("""{"tool": "flyway"}""").Should().BeNull();
        MigrationMetadata.Read("""{"tool": 5}""").Should().BeNull();
        MigrationMetadata.Read("[1, 2]").Should().BeNull();
        MigrationMetadata.Read("not json").Should().BeNull();
        MigrationMetadata.Read(null).Should().BeNull();
    }
}
