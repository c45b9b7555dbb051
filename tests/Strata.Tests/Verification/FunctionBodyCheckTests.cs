using Strata.Database;
using Strata.Migrations;
using Strata.Tests.Support;
using Strata.Verification;

namespace Strata.Tests.Verification;

/// <summary>
/// plpgsql_check on a real database: bodies PostgreSQL accepted at CREATE but that fail when they
/// run are reported with the function and the file line that wrote the broken line; the rest
/// gives nothing. The function list comes from the schema snapshot, as verify reads it.
/// </summary>
public class FunctionBodyCheckTests(PostgresServer server)
{
    private const string Tables = """
        -- migrate:up
        CREATE TABLE public.orders (id bigint PRIMARY KEY, total numeric NOT NULL, status text);

        CREATE FUNCTION public.order_total(order_id bigint) RETURNS numeric LANGUAGE plpgsql AS $$
        BEGIN
            RETURN 0;
        END
        $$;
        """;

    // Line numbers matter: the expected file lines are counted from this text.
    private const string Functions = """
        -- migrate:up
        CREATE OR REPLACE FUNCTION public.order_total(order_id bigint) RETURNS numeric
        LANGUAGE plpgsql AS $$
        BEGIN
            RETURN (SELECT o.totl FROM public.orders o WHERE o.id = order_id);
        END
        $$;

        CREATE FUNCTION close_order(order_id bigint) RETURNS void LANGUAGE plpgsql AS $body$
        BEGIN
            UPDATE public.orders SET status = 'closed' WHERE id = order_id;
            PERFORM notify_closed(order_id);
        END
        $body$;

        CREATE FUNCTION public.stamp_order() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.closed_at := now();
            RETURN NEW;
        END
        $$;
        CREATE TRIGGER orders_stamp BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.stamp_order();

        CREATE PROCEDURE public.archive_orders() LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM public.archived_orders;
        END
        $$;

        CREATE FUNCTION public.order_count() RETURNS bigint LANGUAGE plpgsql AS $$
        BEGIN
            RETURN (SELECT count(*) FROM public.orders);
        END
        $$;

        CREATE FUNCTION public.open_orders() RETURNS SETOF public.orders LANGUAGE sql AS $$
            SELECT * FROM public.orders WHERE status = 'open'
        $$;

        CREATE FUNCTION public.unused_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.nothing := 1;
            RETURN NEW;
        END
        $$;
        """;

    private const string FunctionsFile = "memory:20251001000100_functions.sql";

    /// <summary>Applies the files' up sections, then checks every function and procedure the snapshot lists.</summary>
    private async Task<(MigrationSet Set, IReadOnlyList<FunctionBodyProblem> Problems)> CheckAsync(params (string Name, string Text)[] files)
    {
        await using var db = await server.CreateDatabaseAsync();
        var set = MigrationSet.Load(new MemorySource(files));
        set.Problems.Should().BeEmpty();
        foreach (var file in set.Files) await db.ExecuteAsync(file.Up.Text);
        var routines = (await SnapshotReading.ReadAsync(db)).Objects
            .Where(o => o.Kind is SnapshotKinds.Function or SnapshotKinds.Procedure).Select(o => o.Identity).ToList();

        await using var session = await DatabaseSession.OpenAsync(db.Target);
        (await FunctionBodyCheck.TryInstallAsync(session.Connection, CancellationToken.None)).Should().BeTrue();
        return (set, await FunctionBodyCheck.CheckAsync(session.Connection, routines, CancellationToken.None));
    }

    private Task<(MigrationSet Set, IReadOnlyList<FunctionBodyProblem> Problems)> CheckExampleAsync() =>
        CheckAsync(("20251001000000_tables.sql", Tables), ("20251001000100_functions.sql", Functions));

    [Fact]
    public async Task A_body_selecting_a_missing_column_is_reported_at_its_file_line()
    {
        var (set, problems) = await CheckExampleAsync();

        var problem = problems.Single(p => p.Function == "public.order_total(order_id bigint)");
        problem.Should().Match<FunctionBodyProblem>(p => p.Sqlstate == "42703" && p.IsError && p.BodyLine == 3 && p.Statement == "RETURN");
        problem.Message.Should().Contain("totl");
        FunctionBodyCheck.Locate(set.Files, problem.Function, problem.BodyLine).Should().Be((FunctionsFile, 5));
    }

    [Fact]
    public async Task A_body_calling_a_missing_function_is_reported_at_its_file_line()
    {
        var (set, problems) = await CheckExampleAsync();

        var problem = problems.Single(p => p.Function == "public.close_order(order_id bigint)");
        problem.Should().Match<FunctionBodyProblem>(p => p.Sqlstate == "42883" && p.IsError && p.BodyLine == 4);
        problem.Message.Should().Contain("notify_closed(bigint) does not exist");
        problem.Query.Should().Contain("notify_closed(order_id)");
        FunctionBodyCheck.Locate(set.Files, problem.Function, problem.BodyLine).Should().Be((FunctionsFile, 12));
    }

    [Fact]
    public async Task A_trigger_function_is_checked_against_its_trigger_table()
    {
        var (set, problems) = await CheckExampleAsync();

        var problem = problems.Single(p => p.Function == "public.stamp_order()");
        problem.Should().Match<FunctionBodyProblem>(p => p.Sqlstate == "42703" && p.IsError && p.Table == "public.orders");
        problem.Message.Should().Contain("closed_at");
        FunctionBodyCheck.Locate(set.Files, problem.Function, problem.BodyLine).Should().Be((FunctionsFile, 18));
    }

    [Fact]
    public async Task A_procedure_using_a_missing_table_is_reported()
    {
        var (_, problems) = await CheckExampleAsync();

        problems.Single(p => p.Function == "public.archive_orders()").Sqlstate.Should().Be("42P01");
    }

    [Fact]
    public async Task A_correct_function_and_a_sql_function_give_nothing()
    {
        var (_, problems) = await CheckExampleAsync();

        problems.Select(p => p.Function).Should().NotContain(["public.order_count()", "public.open_orders()"]);
        problems.Where(p => p.IsError).Select(p => p.Function).Should().BeEquivalentTo(
            "public.order_total(order_id bigint)", "public.close_order(order_id bigint)", "public.stamp_order()", "public.archive_orders()");
    }

    [Fact]
    public async Task A_trigger_function_no_trigger_uses_is_skipped_with_a_note()
    {
        var (_, problems) = await CheckExampleAsync();

        problems.Single(p => p.Function == "public.unused_trigger()").Should().Match<FunctionBodyProblem>(
            p => p.Level == FunctionBodyProblem.Skipped && !p.IsError && p.Message.Contains("no trigger uses"));
    }

    [Fact]
    public async Task A_trigger_function_with_a_transition_table_is_checked_with_it()
    {
        var (_, problems) = await CheckAsync(("20251001000000_audit.sql", """
            -- migrate:up
            CREATE TABLE public.items (id int);
            CREATE FUNCTION public.count_new() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM count(*) FROM added;
                RETURN NULL;
            END
            $$;
            CREATE TRIGGER items_added AFTER INSERT ON public.items REFERENCING NEW TABLE AS added
                FOR EACH STATEMENT EXECUTE FUNCTION public.count_new();
            """));

        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Identities_with_schema_qualified_argument_types_are_found()
    {
        var (_, problems) = await CheckAsync(("20251001000000_enum.sql", """
            -- migrate:up
            CREATE TYPE public.mood AS ENUM ('ok', 'sad');
            CREATE FUNCTION public.cheer(m public.mood) RETURNS text LANGUAGE plpgsql AS $$
            BEGIN
                RETURN m || missing_variable;
            END
            $$;
            """));

        problems.Single().Function.Should().Be("public.cheer(m public.mood)");
    }

    [Fact]
    public async Task A_role_that_may_not_create_the_extension_gets_false()
    {
        await using var db = await server.CreateDatabaseAsync();
        var role = "lowly_" + Guid.NewGuid().ToString("N")[..8];
        await server.ExecuteAsync("postgres", $"CREATE ROLE {role} LOGIN PASSWORD 'lowly-pw'");
        try
        {
            var target = ConnectionTarget.Parse($"postgresql://{role}:lowly-pw@127.0.0.1:{server.Cluster.Options.Port}/{db.Name}", "--url");
            await using var session = await DatabaseSession.OpenAsync(target);

            (await FunctionBodyCheck.TryInstallAsync(session.Connection, CancellationToken.None)).Should().BeFalse();
        }
        finally
        {
            await server.ExecuteAsync("postgres", $"DROP ROLE {role}");
        }
    }

    [Fact]
    public void The_warning_says_how_to_install_the_extension()
    {
        ScratchContentProblems.FunctionChecksUnavailable(15).Hint.Should().Contain("apt-get install postgresql-15-plpgsql-check");
    }
}
