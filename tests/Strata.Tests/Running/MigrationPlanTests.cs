using Strata.History;
using Strata.Migrations;
using Strata.Running;
using Strata.Tests.Support;

namespace Strata.Tests.Running;

public class MigrationPlanTests
{
    private const string Strata = """{"tool": "strata"}""";

    private static IReadOnlyList<MigrationFile> Files(params string[] names)
    {
        using var dir = new MigrationDirectory();
        foreach (var name in names) dir.Write(name, $"-- {name}\n-- migrate:up\nSELECT 1;\n");
        return MigrationSet.Load(new FolderSource(dir.Migrations)).Files;
    }

    private static HistoryRow Row(MigrationFile file, string status = HistoryStatus.Applied, string? checksum = null, bool byStrata = true) =>
        new(file.Version, DateTime.UtcNow, "me", "d", "", checksum ?? file.Checksum, 1, status, byStrata ? Strata : null);

    [Fact]
    public void Unapplied_files_are_pending_in_order()
    {
        var files = Files("20250101000000_a.sql", "20250102000000_b.sql");

        var plan = MigrationPlan.Build(files, [Row(files[0])], historyExists: true);

        plan.ToRun.Select(e => e.Version).Should().Equal("20250102000000_b.sql");
        plan.Entries[0].State.Should().Be(MigrationState.Applied);
    }

    [Fact]
    public void An_edited_applied_file_is_drift()
    {
        var files = Files("20250101000000_a.sql");

        var plan = MigrationPlan.Build(files, [Row(files[0], checksum: "sha256:" + new string('0', 64))], true);

        plan.Drift.Should().ContainSingle().Which.State.Should().Be(MigrationState.Changed);
    }

    [Fact]
    public void A_hand_written_row_is_never_checksum_drift()
    {
        var files = Files("20250101000000_a.sql");

        var plan = MigrationPlan.Build(files, [Row(files[0], checksum: "sha256:abc123...", byStrata: false)], true);

        plan.Drift.Should().BeEmpty();
        plan.Entries.Single().State.Should().Be(MigrationState.Applied);
    }

    [Fact]
    public void A_vanished_file_applied_by_strata_is_drift_but_a_bootstrap_row_is_not()
    {
        var files = Files("20250101000000_a.sql");
        var strataRow = Row(files[0]) with { Version = "20240101000000_gone.sql" };
        var handRow = Row(files[0], byStrata: false) with { Version = "20230101000000_create_schema_versions_table.sql" };

        var plan = MigrationPlan.Build(files, [strataRow, handRow], true);

        plan.Drift.Select(d => d.Version).Should().Equal("20240101000000_gone.sql");
    }

    [Fact]
    public void Hand_written_rows_without_a_file_are_kept_apart_from_the_migrations()
    {
        var files = Files("20250101000000_a.sql", "20250102000000_b.sql");
        var handWithFile = Row(files[0], byStrata: false);
        var handWithoutFile = Row(files[0], byStrata: false) with { Version = "20230101000000_create_schema_versions_table.sql" };
        var strataWithoutFile = Row(files[0]) with { Version = "20240101000000_gone.sql" };

        var plan = MigrationPlan.Build(files, [handWithFile, handWithoutFile, strataWithoutFile], true);

        plan.HandRecords.Select(e => e.Version).Should().Equal("20230101000000_create_schema_versions_table.sql");
        plan.Migrations.Select(e => e.Version).Should().Equal("20240101000000_gone.sql", "20250101000000_a.sql", "20250102000000_b.sql");
    }

    [Fact]
    public void A_pending_file_older_than_the_newest_applied_is_out_of_order()
    {
        var files = Files("20250101000000_a.sql", "20250102000000_late_merge.sql", "20250103000000_c.sql");

        var plan = MigrationPlan.Build(files, [Row(files[0]), Row(files[2])], true);

        plan.OutOfOrder.Select(e => e.Version).Should().Equal("20250102000000_late_merge.sql");
        plan.ToRun.Should().ContainSingle();
    }

    [Fact]
    public void Failed_and_rolled_back_migrations_run_again()
    {
        var files = Files("20250101000000_a.sql", "20250102000000_b.sql");

        var plan = MigrationPlan.Build(files, [Row(files[0], HistoryStatus.RolledBack), Row(files[1], HistoryStatus.Failed)], true);

        plan.ToRun.Select(e => e.State).Should().Equal(MigrationState.RolledBack, MigrationState.Failed);
    }
}
