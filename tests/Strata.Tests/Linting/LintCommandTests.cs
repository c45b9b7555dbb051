using System.Text.Json;
using Strata.Tests.Support;

namespace Strata.Tests.Linting;

/// <summary><c>strata lint</c> through the CLI: exit codes, the four formats, the example, and files that are not SQL at all.</summary>
public class LintCommandTests
{
    private static readonly string Example = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../examples/wheels-wins"));

    /// <summary>The folder: an index without CONCURRENTLY on an existing table, a DROP COLUMN with no deprecation, an UPDATE without WHERE, a hard-coded UUID.</summary>
    private static MigrationDirectory UnsafeFolder()
    {
        var dir = new MigrationDirectory();
        dir.Write("20251001000000_trips.sql", "-- Trips\n-- migrate:up\nCREATE TABLE IF NOT EXISTS trips (id bigint, km int, notes text, owner uuid);\n-- migrate:down\nDROP TABLE IF EXISTS trips;\n");
        dir.Write("20251020000000_changes.sql", """
            -- Several unsafe changes
            -- migrate:up
            CREATE INDEX IF NOT EXISTS trips_km ON trips (km);
            ALTER TABLE trips DROP COLUMN IF EXISTS notes;
            UPDATE trips SET km = 0;
            UPDATE trips SET km = 1 WHERE owner = '6f1c8a2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
            -- migrate:down
            SELECT 1;
            """);
        return dir;
    }

    [Fact]
    public async Task The_example_lints_clean_of_errors()
    {
        var run = await StrataCli.RunAsync(Example, "lint");

        run.ExitCode.Should().Be(0, run.All);
        run.Stdout.Should().NotContain(": error [");
    }

    [Fact]
    public async Task The_four_unsafe_statements_each_get_one_error_on_their_line_and_lint_exits_1()
    {
        using var dir = UnsafeFolder();

        var run = await StrataCli.RunAsync(dir.Root, "lint", "--format", "json");

        run.ExitCode.Should().Be(1, run.All);
        var findings = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("severity").GetString() == "error").Select(f => (f.GetProperty("rule").GetString(), f.GetProperty("line").GetInt32())).ToList();
        findings.Should().BeEquivalentTo(new[]
        {
            ("require-concurrent-index", 3), ("ban-drop-without-deprecation", 4), ("require-where", 5), ("ban-hard-coded-uuid", 6),
        });
        var first = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings")[0];
        foreach (var property in new[] { "rule", "severity", "message", "help", "file", "line", "column" }) first.TryGetProperty(property, out _).Should().BeTrue(property);
    }

    [Fact]
    public async Task Sarif_output_has_the_required_properties_of_sarif_2_1_0()
    {
        using var dir = UnsafeFolder();

        var run = await StrataCli.RunAsync(dir.Root, "lint", "--format", "sarif");

        run.ExitCode.Should().Be(1, run.All);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        root.GetProperty("version").GetString().Should().Be("2.1.0");
        root.GetProperty("$schema").GetString().Should().Contain("sarif-2.1.0");
        var sarifRun = root.GetProperty("runs")[0];
        sarifRun.GetProperty("tool").GetProperty("driver").GetProperty("name").GetString().Should().Be("strata");
        sarifRun.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Should().Contain(r => r.GetProperty("id").GetString() == "require-where");
        var result = sarifRun.GetProperty("results").EnumerateArray().First(r => r.GetProperty("ruleId").GetString() == "require-where");
        result.GetProperty("level").GetString().Should().Be("error");
        result.GetProperty("message").GetProperty("text").GetString().Should().NotBeNullOrEmpty();
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        location.GetProperty("artifactLocation").GetProperty("uri").GetString().Should().StartWith("file://").And.EndWith("20251020000000_changes.sql");
        location.GetProperty("region").GetProperty("startLine").GetInt32().Should().Be(5);
    }

    [Fact]
    public async Task Github_output_is_workflow_annotations()
    {
        using var dir = UnsafeFolder();

        var run = await StrataCli.RunAsync(dir.Root, "lint", "--format", "github");

        run.ExitCode.Should().Be(1, run.All);
        run.Stdout.Split('\n').Should().Contain(l => l.StartsWith("::error file=") && l.Contains(",line=5,") && l.Contains("title=require-where::"));
        run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(l => l.StartsWith("::"));
    }

    [Fact]
    public async Task Bad_usage_is_exit_2()
    {
        using var dir = UnsafeFolder();

        var format = await StrataCli.RunAsync(dir.Root, "lint", "--format", "xml");
        var missing = await StrataCli.RunAsync(dir.Root, "lint", "no/such/folder");

        format.ExitCode.Should().Be(2, format.All);
        missing.ExitCode.Should().Be(2, missing.All);
        missing.Stderr.Should().Contain("does not exist");
    }

    [Fact]
    public async Task Paths_can_be_single_files_and_names_outside_the_convention_are_findings()
    {
        using var dir = new MigrationDirectory();
        var odd = dir.Write("fix-trips.sql", "-- Fix\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 1;\n");

        var run = await StrataCli.RunAsync(dir.Root, "lint", odd);

        run.ExitCode.Should().Be(1, run.All);
        run.Stdout.Should().Contain("[file-name]").And.Contain("1 file(s)");
    }

    [Fact]
    public async Task Broken_files_never_crash_lint_and_each_gets_a_finding()
    {
        using var dir = new MigrationDirectory();
        var random = new Random(42);
        var bytes = new byte[400];
        random.NextBytes(bytes);
        dir.WriteBytes("20251001000000_random.sql", bytes);
        dir.Write("20251002000000_truncated.sql", "-- Truncated\n-- migrate:up\nCREATE TABLE IF NOT EXISTS t (id int,");
        dir.Write("20251003000000_unterminated.sql", "-- Unterminated\n-- migrate:up\nSELECT 'never closed;\nSELECT 2;\n");
        dir.Write("20251004000000_body.sql", "-- Body\n-- migrate:up\nDO $$ BEGIN RAISE NOTICE 'x';\n");
        dir.Write("20251005000000_shell.sql", "-- Shell\n-- migrate:up\n\\set ON_ERROR_STOP on\nSELECT 1;\n-- migrate:down\nSELECT 1;\n");

        var run = await StrataCli.RunAsync(dir.Root, "lint", "--format", "json");

        run.ExitCode.Should().Be(1, run.All);
        run.Stderr.Should().NotContain("unexpected error").And.NotContain("   at ");
        var files = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("severity").GetString() == "error").Select(f => Path.GetFileName(f.GetProperty("file").GetString())).Distinct();
        files.Should().BeEquivalentTo("20251001000000_random.sql", "20251002000000_truncated.sql", "20251003000000_unterminated.sql",
            "20251004000000_body.sql", "20251005000000_shell.sql");
    }

    [Fact]
    public async Task Strata_toml_changes_a_rule_s_severity_turns_one_off_and_sets_the_deprecation_period()
    {
        using var dir = UnsafeFolder();
        dir.WriteRoot("strata.toml", """
            [lint]
            deprecation_period = "30d"

            [lint.rules]
            require-where = "warning"
            ban-hard-coded-uuid = "off"
            """);

        var run = await StrataCli.RunAsync(dir.Root, "lint", "--format", "json");

        var findings = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => (f.GetProperty("rule").GetString(), f.GetProperty("severity").GetString())).ToList();
        findings.Should().Contain(("require-where", "warning"));
        findings.Should().NotContain(f => f.Item1 == "ban-hard-coded-uuid");
        run.ExitCode.Should().Be(1, "the index and the drop are still errors");
    }

    [Fact]
    public async Task A_drop_younger_than_the_configured_period_is_flagged_with_its_age()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_t.sql", "-- T\n-- migrate:up\nCREATE TABLE IF NOT EXISTS t (id bigint, old text);\n-- migrate:down\nDROP TABLE IF EXISTS t;\n");
        dir.Write("20251002000000_deprecate.sql", "-- Deprecate\n-- migrate:up\nCOMMENT ON COLUMN t.old IS 'DEPRECATED: gone soon';\n-- migrate:down\nCOMMENT ON COLUMN t.old IS NULL;\n");
        dir.Write("20251020000000_drop.sql", "-- Drop\n-- migrate:up\nALTER TABLE t DROP COLUMN IF EXISTS old;\n-- migrate:down\nALTER TABLE t ADD COLUMN IF NOT EXISTS old text;\n");

        var defaults = await StrataCli.RunAsync(dir.Root, "lint");
        dir.WriteRoot("strata.toml", "[lint]\ndeprecation_period = \"30d\"\n");
        var longer = await StrataCli.RunAsync(dir.Root, "lint");

        defaults.ExitCode.Should().Be(0, defaults.All);
        longer.ExitCode.Should().Be(1, longer.All);
        longer.Stdout.Should().Contain("only 18 days after its deprecation (2025-10-02)").And.Contain("wait at least 30 days");
    }

    [Theory]
    [InlineData("[lint.rules]\nrequire-wher = \"off\"\n", "require-wher")]
    [InlineData("[lint.rules]\nrequire-where = \"fatal\"\n", "fatal")]
    [InlineData("[lint]\nperiod = \"14d\"\n", "period")]
    [InlineData("[lint]\ndeprecation_period = \"two weeks\"\n", "deprecation_period")]
    [InlineData("[lint]\npostgres = \"17\"\n", "postgres")]
    [InlineData("[lint]\npostgres = 170\n", "postgres")]
    [InlineData("[lint]\npostgres = 17.1\n", "postgres")]
    public async Task A_bad_lint_table_is_bad_usage_naming_the_line(string toml, string named)
    {
        using var dir = UnsafeFolder();
        dir.WriteRoot("strata.toml", toml);

        var run = await StrataCli.RunAsync(dir.Root, "lint");

        run.ExitCode.Should().Be(2, run.All);
        run.Stderr.Should().Contain("strata.toml:2").And.Contain(named);
    }

    // MERGE ... RETURNING is PostgreSQL 17 syntax; the parser lint carries is 15's.
    private const string NewerSyntax = "-- Upsert with RETURNING\n-- migrate:up\nMERGE INTO trips t USING (SELECT 1 AS id) s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id) RETURNING t.id;\n-- migrate:down\nSELECT 1;\n";

    [Fact]
    public async Task Syntax_newer_than_the_parser_is_a_warning_naming_its_version_when_the_project_targets_a_newer_server()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251002000000_merge.sql", NewerSyntax);

        var strict = await StrataCli.RunAsync(dir.Root, "lint");
        strict.ExitCode.Should().Be(1, strict.All);
        strict.Stdout.Should().Contain(": error [syntax]");

        dir.WriteRoot("strata.toml", "[lint]\npostgres = 17\n");
        var newer = await StrataCli.RunAsync(dir.Root, "lint");
        newer.ExitCode.Should().Be(0, newer.All);
        newer.Stdout.Should().Contain("20251002000000_merge.sql:3:").And.Contain(": warning [syntax]")
            .And.Contain("PostgreSQL 15's parser").And.Contain("targets PostgreSQL 17");

        // A target at or below the parser's version keeps it an error.
        dir.WriteRoot("strata.toml", "[lint]\npostgres = 15\n");
        (await StrataCli.RunAsync(dir.Root, "lint")).ExitCode.Should().Be(1);
    }

    [Fact]
    public async Task Statements_a_do_block_runs_are_linted_at_their_own_line_and_the_block_is_the_guard()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_trips.sql", "-- Trips\n-- migrate:up\nCREATE TABLE IF NOT EXISTS trips (id bigint, km int, notes text);\n-- migrate:down\nDROP TABLE IF EXISTS trips;\n");
        dir.Write("20251020000000_drop.sql", """
            -- Drop notes, guarded
            -- migrate:up
            DO $$
            BEGIN
                IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'trips' AND column_name = 'notes') THEN
                    ALTER TABLE trips DROP COLUMN notes;
                    EXECUTE 'DROP TABLE legacy_trips';
                    EXECUTE format('DROP TABLE %I', 'computed_name');
                    CREATE TABLE archive (id bigint);
                    UPDATE trips SET km = 0;
                END IF;
            END $$;
            -- migrate:down
            SELECT 1;
            """);

        var run = await StrataCli.RunAsync(dir.Root, "lint", "--format", "json");

        run.ExitCode.Should().Be(1, run.All);
        var findings = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => f.GetProperty("file").GetString()!.EndsWith("_drop.sql", StringComparison.Ordinal))
            .Select(f => (Rule: f.GetProperty("rule").GetString(), Line: f.GetProperty("line").GetInt32(), Column: f.GetProperty("column").GetInt32())).ToList();
        findings.Should().Contain(("ban-drop-without-deprecation", 6, 9), "the DROP COLUMN inside the block, at its own line and column");
        findings.Should().Contain(f => f.Rule == "ban-drop-without-deprecation" && f.Line == 7, "EXECUTE of a constant string is read");
        findings.Should().NotContain(f => f.Line == 8, "a computed EXECUTE is only known at run time");
        findings.Should().Contain(("require-where", 10, 9));
        findings.Should().NotContain(f => f.Rule == "require-idempotent-guard", "the block that checks the catalog is the guard");
    }

    [Fact]
    public async Task A_suppression_before_a_do_block_silences_a_finding_inside_it()
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_trips.sql", "-- Trips\n-- migrate:up\nCREATE TABLE IF NOT EXISTS trips (id bigint, km int);\n-- migrate:down\nDROP TABLE IF EXISTS trips;\n");
        dir.Write("20251002000000_rename.sql", """
            -- Rename km
            -- migrate:up
            -- strata:ignore ban-rename no application reads trips yet
            DO $$
            BEGIN
                ALTER TABLE trips RENAME COLUMN km TO distance_km;
            END $$;
            -- migrate:down
            ALTER TABLE trips RENAME COLUMN distance_km TO km;
            """);

        var run = await StrataCli.RunAsync(dir.Root, "lint");

        run.ExitCode.Should().Be(0, run.All);
        run.Stdout.Should().NotContain("ban-rename").And.NotContain("unused-ignore");
    }

    [Fact]
    public async Task Without_the_parser_the_lexer_fallback_still_finds_the_four_errors_and_says_so()
    {
        using var dir = UnsafeFolder();

        var run = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["STRATA_LINT_PARSER"] = "lexer" }, "lint", "--format", "json");
        var misspelt = await StrataCli.RunAsync(dir.Root, new Dictionary<string, string> { ["STRATA_LINT_PARSER"] = "lexr" }, "lint");

        run.ExitCode.Should().Be(1, run.All);
        run.Stderr.Should().Contain("STRATA_LINT_PARSER=lexer");
        var document = JsonDocument.Parse(run.Stdout).RootElement;
        document.GetProperty("parser").GetString().Should().Be("lexer");
        var errors = document.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("severity").GetString() == "error")
            .Select(f => (f.GetProperty("rule").GetString(), f.GetProperty("line").GetInt32())).ToList();
        errors.Should().Contain(("require-concurrent-index", 3)).And.Contain(("require-where", 5)).And.Contain(("ban-hard-coded-uuid", 6));
        misspelt.ExitCode.Should().Be(2, misspelt.All);
        misspelt.Stderr.Should().Contain("STRATA_LINT_PARSER").And.Contain("lexr");
    }
}
