using Strata.Migrations;
using Strata.Project;
using Strata.Running;
using Strata.Tests.Support;

namespace Strata.Tests.Project;

/// <summary>The one door, used as an application embedding Strata would: no CLI, no folder on disk.</summary>
public class StrataProjectTests(PostgresServer server)
{
    private static ProjectOptions Options(TestDatabase db, IMigrationSource source) => new()
    {
        WorkingDirectory = Path.GetTempPath(),
        Source = source,
        Url = db.Url,
        AppliedBy = "embedded-app",
        EnvironmentVariables = _ => null,
    };

    /// <summary>Advisory locks held in this test's database (pg_locks lists every database's).</summary>
    private static Task<long> AdvisoryLocksAsync(TestDatabase db) => db.ScalarAsync<long>(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

    [Fact]
    public async Task Embedded_resources_apply_and_show_as_applied()
    {
        await using var db = await server.CreateDatabaseAsync();
        var source = new EmbeddedSource(typeof(StrataProjectTests).Assembly, "Strata.Tests.Project.EmbeddedMigrations.");
        var project = StrataProject.Open(Options(db, source));

        var up = await project.UpAsync(new UpOptions());
        var status = await project.StatusAsync();

        up.IsRefused.Should().BeFalse(string.Join("; ", up.Refusals));
        up.Failure.Should().BeNull();
        up.Applied.Select(a => a.Version).Should().Equal("20251001000000_create_widgets.sql", "20251002000000_index_widget_names.sql");
        up.Applied[1].Transactional.Should().BeFalse("CREATE INDEX CONCURRENTLY runs outside a transaction block, embedded or not");
        status.Plan!.Entries.Select(e => e.State).Should().Equal(MigrationState.Applied, MigrationState.Applied);
        (await db.ScalarAsync<string>("SELECT applied_by FROM schema_versions WHERE version = '20251001000000_create_widgets.sql'")).Should().Be("embedded-app");
        (await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_widgets_name'::regclass")).Should().BeTrue();
        (await db.TableExistsAsync("widget_names")).Should().BeFalse("a sub-folder's file is not a versioned migration");
    }

    [Fact]
    public async Task An_in_memory_list_applies_and_a_second_up_changes_nothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        var source = new MemorySource(
            ("20251001000000_create_gadgets.sql", "-- Create gadgets\n-- migrate:up\nCREATE TABLE gadgets (id int);\n-- migrate:down\nDROP TABLE gadgets;\n"),
            ("20251002000000_add_gadget_name.sql", "-- Add gadget name\n-- migrate:up\nALTER TABLE gadgets ADD COLUMN name text;\n"));
        var project = StrataProject.Open(Options(db, source));

        var before = await project.StatusAsync();
        var up = await project.UpAsync(new UpOptions());
        var again = await project.UpAsync(new UpOptions());
        var after = await project.StatusAsync();

        before.Plan!.Entries.Select(e => e.State).Should().Equal(MigrationState.Pending, MigrationState.Pending);
        up.Applied.Should().HaveCount(2);
        again.Applied.Should().BeEmpty();
        again.IsRefused.Should().BeFalse();
        after.Plan!.Entries.Should().OnlyContain(e => e.State == MigrationState.Applied);
        (await db.ScalarAsync<string>("SELECT rollback_sql FROM schema_versions WHERE version = '20251001000000_create_gadgets.sql'"))
            .Should().Be("DROP TABLE gadgets;");
    }

    [Fact]
    public async Task A_bad_file_in_memory_is_a_refusal_with_the_same_rules_as_a_folder()
    {
        await using var db = await server.CreateDatabaseAsync();
        var source = new MemorySource(
            ("20251001000000_ok.sql", "-- Ok\n-- migrate:up\nCREATE TABLE ok (id int);\n"),
            ("20251001000000_same_second.sql", "-- Same second\n-- migrate:up\nSELECT 1;\n"),
            ("not_a_migration.sql", "SELECT 1;"));
        var project = StrataProject.Open(Options(db, source));

        var up = await project.UpAsync(new UpOptions());

        up.Refusals.Select(r => r.Code).Should().BeEquivalentTo("duplicate-timestamp", "invalid-file-name");
        up.Refusals.Should().OnlyContain(r => r.Kind == ProblemKind.BadInput);
        up.Refusals.Single(r => r.Code == "invalid-file-name").File.Should().Be("memory:not_a_migration.sql");
        (await db.TableExistsAsync("schema_versions")).Should().BeFalse("nothing touches the database when the files are bad");
    }

    [Fact]
    public async Task An_embedding_application_must_name_its_database()
    {
        var project = StrataProject.Open(new ProjectOptions
        {
            WorkingDirectory = Path.GetTempPath(),
            Source = new MemorySource(("20251001000000_a.sql", "-- A\n-- migrate:up\nSELECT 1;\n")),
            EnvironmentVariables = _ => null,
        });

        var act = () => project.StatusAsync();

        (await act.Should().ThrowAsync<StrataException>()).Which.Problem.Code.Should().Be("no-target");
    }

    [Fact]
    public async Task Cancelling_up_mid_migration_throws_leaves_nothing_half_applied_and_releases_the_lock()
    {
        await using var db = await server.CreateDatabaseAsync();
        var source = new MemorySource(
            ("20251001000000_first.sql", "-- First\n-- migrate:up\nCREATE TABLE first_done (id int);\n"),
            ("20251002000000_slow.sql", "-- Slow\n-- migrate:up\nCREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nSELECT pg_sleep(30);\n"));
        var project = StrataProject.Open(Options(db, source));
        using var cancel = new CancellationTokenSource();

        var up = project.UpAsync(new UpOptions(), p => { if (p is { Stage: ProgressStage.Starting, Index: 1 }) cancel.CancelAfter(500); }, cancel.Token);

        await FluentActions.Awaiting(() => up).Should().ThrowAsync<OperationCanceledException>();
        (await db.TableExistsAsync("first_done")).Should().BeTrue("the migration before the cancelled one committed");
        (await db.TableExistsAsync("half")).Should().BeFalse("the cancelled migration rolled back as a whole");
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions WHERE version = '20251002000000_slow.sql'")).Should().Be(0);
        (await AdvisoryLocksAsync(db)).Should().Be(0);
        var next = await StrataProject.Open(Options(db, new MemorySource(("20251001000000_first.sql",
            "-- First\n-- migrate:up\nCREATE TABLE first_done (id int);\n")))).UpAsync(new UpOptions(LockWait: Duration.FromSeconds(1)));
        next.IsRefused.Should().BeFalse("the lock was released: " + string.Join("; ", next.Refusals));
    }

    [Fact]
    public async Task Cancelling_a_statement_by_statement_file_surfaces_the_cancellation_and_releases_the_lock()
    {
        await using var db = await server.CreateDatabaseAsync();
        var source = new MemorySource(
            ("20251001000000_slow_autocommit.sql", "-- Slow\n-- migrate:up transaction:false\nCREATE TABLE kept (id int);\nSELECT pg_sleep(30);\n"));
        var project = StrataProject.Open(Options(db, source));
        using var cancel = new CancellationTokenSource();

        var up = project.UpAsync(new UpOptions(), p => { if (p.Stage == ProgressStage.Starting) cancel.CancelAfter(500); }, cancel.Token);

        await FluentActions.Awaiting(() => up).Should().ThrowAsync<OperationCanceledException>();
        (await AdvisoryLocksAsync(db)).Should().Be(0);
        (await db.ScalarAsync<long>("SELECT count(*) FROM schema_versions WHERE status = 'applied'")).Should().Be(0);
    }
}
