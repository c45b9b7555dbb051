using System.Text;
using Strata.Tests.Support;

namespace Strata.Tests.FaultSuite;

/// <summary>
/// Over a hundred malformed inputs (file names, contents, markers, strata.toml, URLs, environment,
/// flags, history tables): each gets its documented exit code and a one-paragraph error, never a
/// stack trace or an "internal error", and none writes to the database.
/// </summary>
[Trait("Category", "FaultSuite")]
public class BadInputSuiteTests(PostgresServer server)
{
    private const string Good = "-- Good\n-- migrate:up\nCREATE TABLE good (id int);\n";

    /// <summary>One malformed input: what to put in the project, which command line, which exit code.</summary>
    private sealed record Case(string Name, int Exit, Action<MigrationDirectory> Setup, string[] Args, Dictionary<string, string>? Environment = null);

    private static Case File(string name, string text, int exit = 2) =>
        new($"file {name}", exit, dir => { dir.Write("20251001000000_good.sql", Good); dir.Write(name, text); }, ["up", "--url", "{url}"]);

    private static Case Content(string label, string text) => File($"20251002000000_{label}.sql", text) with { Name = $"content {label}" };

    private static Case Bytes(string label, byte[] bytes) =>
        new($"bytes {label}", 2, dir => { dir.Write("20251001000000_good.sql", Good); dir.WriteBytes($"20251002000000_{label}.sql", bytes); }, ["up", "--url", "{url}"]);

    private static Case Toml(string label, string toml) =>
        new($"toml {label}", 2, dir => { dir.Write("20251001000000_good.sql", Good); dir.WriteRoot("strata.toml", toml); }, ["up", "--url", "{url}"]);

    private static Case Url(string url, int exit = 2) =>
        new($"url {url}", exit, dir => dir.Write("20251001000000_good.sql", Good), ["up", "--url", url]);

    private static Case Args(string label, int exit, params string[] args) =>
        new($"args {label}", exit, dir => dir.Write("20251001000000_good.sql", Good), args);

    private static Case Env(string label, Dictionary<string, string> environment, string toml = "", params string[] args) =>
        new($"env {label}", 2, dir => { dir.Write("20251001000000_good.sql", Good); if (toml.Length > 0) dir.WriteRoot("strata.toml", toml); }, args, environment);

    private static readonly string Pw = Uri.EscapeDataString(PostgresServer.CanaryPassword);

    private static IEnumerable<Case> Cases()
    {
        // File names.
        foreach (var name in (string[])["add_users.sql", "20251002_add_users.sql", "20251002143000-add-users.sql", "20251002143000_Add users.sql",
                     "20251302120000_month_13.sql", "20250230120000_feb_30.sql", "20251002143060_second_60.sql", "20251002250000_hour_25.sql",
                     "00000000000000_zero.sql", "2025100214300_13_digits.sql", "202510021430000_15_digits.sql", "20251002143000_.sql",
                     "20251002143000.sql", "20251002143000_x.y.sql", "20251002143000_ünïcode.sql", "20251002143000__leading.sql",
                     "20251002143000_-dash.sql", "_20251002143000_x.sql", "V1__flyway_style.sql", "1_golang_migrate.up.sql"])
            yield return File(name, "-- x\n-- migrate:up\nSELECT 1;\n");
        yield return File("20251001000000_same_stamp.sql", "-- x\n-- migrate:up\nSELECT 1;\n");

        // Contents and markers.
        yield return Content("empty", "");
        yield return Content("only_comments", "-- nothing here\n-- at all\n");
        yield return Content("marker_only", "-- x\n-- migrate:up\n");
        yield return Content("empty_up_with_down", "-- x\n-- migrate:up\n-- migrate:down\nDROP TABLE x;\n");
        yield return Content("unterminated_string", "-- x\n-- migrate:up\nSELECT 'abc;\n");
        yield return Content("unterminated_escape_string", "-- x\n-- migrate:up\nSELECT E'abc\\';\n");
        yield return Content("unterminated_identifier", "-- x\n-- migrate:up\nSELECT \"abc;\n");
        yield return Content("unterminated_dollar", "-- x\n-- migrate:up\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\n");
        yield return Content("unterminated_tagged_dollar", "-- x\n-- migrate:up\nDO $body$ BEGIN NULL; END $bdy$;\n");
        yield return Content("unterminated_comment", "-- x\n-- migrate:up\nSELECT 1; /* never closed\n");
        yield return Content("unterminated_nested_comment", "-- x\n-- migrate:up\n/* outer /* inner */ still open\nSELECT 1;\n");
        yield return Content("psql_include", "-- x\n-- migrate:up\n\\i other.sql\n");
        yield return Content("psql_set", "-- x\n-- migrate:up\n\\set ON_ERROR_STOP on\nSELECT 1;\n");
        yield return Content("psql_connect", "-- x\n-- migrate:up\n\\c otherdb\nSELECT 1;\n");
        yield return Content("copy_from_stdin", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\nCOPY t FROM STDIN;\n1\n\\.\n");
        yield return Content("begin_commit", "-- x\n-- migrate:up\nBEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n");
        yield return Content("start_transaction", "-- x\n-- migrate:up\nSTART TRANSACTION;\nCREATE TABLE t (id int);\nEND;\n");
        yield return Content("rollback_statement", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\nROLLBACK;\n");
        yield return Content("forced_transaction", "-- x\n-- migrate:up transaction:true\nCREATE INDEX CONCURRENTLY i ON good (id);\n");
        yield return Content("duplicate_up", "-- x\n-- migrate:up\nSELECT 1;\n-- migrate:up\nSELECT 2;\n");
        yield return Content("duplicate_down", "-- x\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n-- migrate:down\nSELECT 3;\n");
        yield return Content("down_before_up", "-- x\n-- migrate:down\nDROP TABLE t;\n-- migrate:up\nCREATE TABLE t (id int);\n");
        yield return Content("sql_before_up", "-- x\nSET search_path = app;\n-- migrate:up\nSELECT 1;\n");
        yield return Content("irreversible_with_sql", "-- x\n-- migrate:up\nSELECT 1;\n-- migrate:down irreversible\nSELECT 2;\n");
        yield return Content("unknown_option", "-- x\n-- migrate:up transactional:false\nSELECT 1;\n");
        yield return Content("option_on_wrong_marker", "-- x\n-- migrate:up irreversible\nSELECT 1;\n");
        yield return Content("transaction_no", "-- x\n-- migrate:up transaction:no\nSELECT 1;\n");
        yield return Content("transaction_upper", "-- x\n-- migrate:up transaction:FALSE\nSELECT 1;\n");
        yield return Content("lock_timeout_sec", "-- x\n-- migrate:up lock_timeout:5sec\nSELECT 1;\n");
        yield return Content("lock_timeout_bare", "-- x\n-- migrate:up lock_timeout:5\nSELECT 1;\n");
        yield return Content("lock_timeout_negative", "-- x\n-- migrate:up lock_timeout:-5s\nSELECT 1;\n");
        yield return Content("long_tx_spaced", "-- x\n-- migrate:up long_tx:5 ms\nSELECT 1;\n");
        yield return Content("long_tx_bare", "-- x\n-- migrate:up long_tx:500\nSELECT 1;\n");
        yield return Content("long_tx_zero", "-- x\n-- migrate:up long_tx:0\nSELECT 1;\n");
        yield return Content("long_tx_negative", "-- x\n-- migrate:up long_tx:-5s\nSELECT 1;\n");
        yield return Content("long_tx_on_down", "-- x\n-- migrate:up\nSELECT 1;\n-- migrate:down long_tx:1s\nSELECT 2;\n");
        yield return Content("statement_timeout_empty", "-- x\n-- migrate:up statement_timeout:\nSELECT 1;\n");
        yield return Content("irreversible_value", "-- x\n-- migrate:up\nSELECT 1;\n-- migrate:down irreversible:yes\n");
        yield return Content("discard_all", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\nDISCARD ALL;\n");
        yield return Content("reset_all", "-- x\n-- migrate:up\nRESET ALL;\n");
        yield return Content("unlock_all", "-- x\n-- migrate:up\nSELECT pg_advisory_unlock_all();\n");
        yield return Content("unlock_all_in_down", "-- x\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT pg_advisory_unlock_all();\n");
        yield return Content("marker_space", "-- x\n-- migrate: up\nSELECT 1;\n");
        yield return Content("marker_upper", "-- x\n-- MIGRATE:UP\nSELECT 1;\n");
        yield return Content("marker_indented", "-- x\n  -- migrate:up\nSELECT 1;\n");
        yield return Content("marker_goose", "-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n");
        yield return Content("marker_typo_down", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:dwon\nDELETE FROM good;\n");
        yield return Content("verify_typo", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:verfy\nSELECT true;\n");
        yield return Content("verify_spaced", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate: verify\nSELECT true;\n");
        yield return Content("verify_before_up", "-- x\n-- migrate:verify\nSELECT true;\n-- migrate:up\nCREATE TABLE t (id int);\n");
        yield return Content("verify_before_down", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:verify\nSELECT true;\n-- migrate:down\nDROP TABLE t;\n");
        yield return Content("verify_option", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:verify transaction:false\nSELECT true;\n");
        yield return Content("verify_commit", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:verify\nSELECT true;\nCOMMIT;\n");
        yield return Content("verify_concurrently", "-- x\n-- migrate:up\nCREATE TABLE t (id int);\n-- migrate:verify\nCREATE INDEX CONCURRENTLY i ON t (id);\n");
        yield return Content("gset", "-- x\n-- migrate:up\nSELECT 1 \\gset\n");
        yield return Bytes("nul_byte", [.. Encoding.UTF8.GetBytes("-- x\n-- migrate:up\nSELECT 'a"), 0x00, .. Encoding.UTF8.GetBytes("';\n")]);
        yield return File("20251002000000_upper_case.SQL", "-- x\n-- migrate:up\nSELECT 1;\n");
        yield return Bytes("latin1", Encoding.Latin1.GetBytes("-- café\n-- migrate:up\nSELECT 'café';\n"));
        yield return Bytes("truncated_utf8", [.. Encoding.UTF8.GetBytes("-- x\n-- migrate:up\nSELECT '"), 0xE2, 0x82, .. Encoding.UTF8.GetBytes("';\n")]);
        yield return Bytes("utf16", Encoding.Unicode.GetBytes("-- x\n-- migrate:up\nSELECT 1;\n"));
        yield return Bytes("overlong_utf8", [.. Encoding.UTF8.GetBytes("-- x\n-- migrate:up\nSELECT '"), 0xC0, 0xAF, .. Encoding.UTF8.GetBytes("';\n")]);

        // strata.toml.
        yield return Toml("unknown_key", "[migrations]\nlock_timout = \"5s\"\n");
        yield return Toml("unknown_table", "[migratons]\ndir = \"migrations\"\n");
        yield return Toml("top_level_key", "dir = \"migrations\"\n");
        yield return Toml("wrong_type_dir", "[migrations]\ndir = 5\n");
        yield return Toml("wrong_type_tries", "[migrations]\nlock_tries = \"3\"\n");
        yield return Toml("zero_tries", "[migrations]\nlock_tries = 0\n");
        yield return Toml("huge_tries", "[migrations]\nlock_tries = 100000\n");
        yield return Toml("bare_duration", "[migrations]\nlock_timeout = \"10\"\n");
        yield return Toml("long_tx_bare", "[migrations]\nlong_tx = \"500\"\n");
        yield return Toml("long_tx_empty", "[migrations]\nlong_tx = \"\"\n");
        yield return Toml("long_tx_zero", "[migrations]\nlong_tx = \"0\"\n");
        yield return Toml("long_tx_zero_unit", "[migrations]\nlong_tx = \"0ms\"\n");
        yield return Toml("long_tx_negative", "[migrations]\nlong_tx = \"-500ms\"\n");
        yield return Toml("long_tx_number", "[migrations]\nlong_tx = 500\n");
        yield return Toml("word_duration", "[migrations]\nlock_wait = \"soon\"\n");
        yield return Toml("spaced_duration", "[migrations]\nstatement_timeout = \"10 s\"\n");
        yield return Toml("syntax", "[migrations\ndir = \"x\"\n");
        yield return Toml("unterminated_string", "[migrations]\ndir = \"migrations\n");
        yield return Toml("duplicate_key", "[migrations]\ndir = \"a\"\ndir = \"b\"\n");
        yield return Toml("bad_table_name", "[migrations]\ntable = \"a.b.c\"\n");
        yield return Toml("empty_table_name", "[migrations]\ntable = \"\"\n");
        yield return Toml("events_table_same_name", "[migrations]\ntable = \"audit\"\nevents_table = \"audit\"\n");
        yield return Toml("events_table_qualified", "[migrations]\nevents_table = \"public.schema_version_events\"\n");
        yield return Toml("env_unknown_key", "[environments.staging]\nurll = \"env:X\"\n");
        yield return Toml("env_url_number", "[environments.staging]\nurl = 5\n");
        yield return Toml("env_window_string", "[environments.staging]\nurl = \"env:X\"\nwindow = \"Sun 02:00-04:00\"\n");
        yield return Toml("env_window_day_name", "[environments.staging]\nurl = \"env:X\"\nwindow = [\"Sunday 02:00-04:00\"]\n");
        yield return Toml("env_window_across_midnight", "[environments.staging]\nurl = \"env:X\"\ndeny = [\"Fri 22:00-02:00\"]\n");
        yield return Toml("env_requires_cycle", "[environments.a]\nrequires = \"b\"\n[environments.b]\nrequires = \"a\"\n");
        yield return Toml("env_soak_bare", "[environments.a]\n[environments.b]\nrequires = \"a\"\nsoak = \"24\"\n");
        yield return Toml("env_backup_unknown", "[environments.staging]\nbackup = \"snapshot\"\n");

        // Targets.
        foreach (var url in (string[])["this is not a url", $"postgresql://u:{Pw}@host:notaport/db", $"postgresql://u:{Pw}@host:99999/db",
                     $"postgresql://u:{Pw}@host/db?sslmode=sometimes", $"postgresql://u:{Pw}@host/db?frobnicate=1", $"postgresql://u:{Pw}@/db",
                     $"postgresql://u:{Pw}@host/db%zz", "", "   ", $"mysql://u:{Pw}@host/db", "Host=;Database=x", "Host=h;Port=abc",
                     $"Host=h;Password={Pw};Frobnicate=1"])
            yield return Url(url);

        // Environment.
        yield return Env("empty_database_url", new() { ["DATABASE_URL"] = "" }, "", "up");
        yield return Env("blank_database_url", new() { ["DATABASE_URL"] = "  " }, "", "up");
        yield return Env("garbage_database_url", new() { ["DATABASE_URL"] = $"postgres://u:{Pw}@h:0/db" }, "", "up");
        yield return Env("unset_env_var", [], "[environments.staging]\nurl = \"env:STAGING_DATABASE_URL\"\n", "up", "--env", "staging");
        yield return Env("empty_env_var", new() { ["STAGING_DATABASE_URL"] = "" }, "[environments.staging]\nurl = \"env:STAGING_DATABASE_URL\"\n", "up", "--env", "staging");
        yield return Env("unknown_env", [], "[environments.staging]\nurl = \"env:X\"\n", "up", "--env", "prod");
        yield return Env("env_without_url", [], "[environments.staging]\nconfirm = true\n", "up", "--env", "staging");

        // Flags.
        yield return Args("lock_wait_word", 2, "up", "--url", "{url}", "--lock-wait", "soon");
        yield return Args("lock_wait_bare", 2, "up", "--url", "{url}", "--lock-wait", "10");
        yield return Args("lock_wait_negative", 2, "up", "--url", "{url}", "--lock-wait", "-1s");
        yield return Args("lock_wait_missing_value", 2, "up", "--url", "{url}", "--lock-wait");
        yield return Args("since_word", 2, "history", "--url", "{url}", "--since", "the dawn of time");
        yield return Args("since_bare", 2, "history", "--url", "{url}", "--since", "30");
        yield return Args("limit_word", 2, "history", "--url", "{url}", "--limit", "many");
        yield return Args("to_unknown", 2, "up", "--url", "{url}", "--to", "20991231000000");
        yield return Args("to_garbage", 2, "up", "--url", "{url}", "--to", "yesterday");
        yield return Args("unknown_option", 2, "up", "--url", "{url}", "--frobnicate");
        yield return Args("unknown_command", 2, "sideways");
        yield return Args("new_empty_name", 2, "new", "");
        yield return Args("new_symbols", 2, "new", "!!!");
        yield return Args("config_missing", 2, "up", "--url", "{url}", "--config", "nope.toml");
        yield return Args("dir_missing", 2, "up", "--url", "{url}", "--dir", "no/such/folder");
        yield return Args("json_unknown_option", 2, "up", "--url", "{url}", "--json", "--frobnicate");
        yield return Args("dry_run_value", 2, "up", "--url", "{url}", "--dry-run", "yes");
    }

    [Fact]
    public async Task Every_malformed_input_gets_its_documented_exit_code_and_writes_nothing()
    {
        await using var db = await server.CreateDatabaseAsync();
        var cases = Cases().ToList();
        var failures = new List<string>();
        foreach (var input in cases)
        {
            using var dir = new MigrationDirectory();
            input.Setup(dir);
            var args = input.Args.Select(a => a.Replace("{url}", db.Url)).ToArray();
            CliResult result;
            try { result = await StrataCli.RunAsync(dir.Root, input.Environment, args); }
            catch (Exception ex) when (ex.GetType().Namespace?.StartsWith("Xunit", StringComparison.Ordinal) == true || ex.GetType().Name.Contains("Assertion"))
            {
                // StrataCli's own checks (canary password, stack trace) failed: one more finding, not the end of the table.
                failures.Add($"{input.Name}: {ex.Message.Split('\n')[0]}");
                continue;
            }
            if (result.ExitCode != input.Exit) failures.Add($"{input.Name}: exit {result.ExitCode}, expected {input.Exit}: {result.All.Trim()}");
            else if (result.All.Contains("internal-error") || result.All.Contains("unexpected error")) failures.Add($"{input.Name}: {result.All.Trim()}");
            else if (result.Stderr.Trim().Length == 0 && result.Stdout.Trim().Length == 0) failures.Add($"{input.Name}: no message at all");
            if (Directory.Exists(Path.Combine(dir.Root, ".strata"))) failures.Add($"{input.Name}: started the dev cluster");
        }

        var written = await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace");
        Trials.Report($"bad input: {cases.Count} malformed inputs, {failures.Count} wrong, {written} relations written, 0 stack traces, 0 canary leaks");
        cases.Count.Should().BeGreaterThanOrEqualTo(100);
        failures.Should().BeEmpty();
        written.Should().Be(0, "no malformed input may write to the database");
    }
}
