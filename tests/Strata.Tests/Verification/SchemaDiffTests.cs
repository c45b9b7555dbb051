using Strata.Tests.Support;
using Strata.Verification;

namespace Strata.Tests.Verification;

/// <summary>The lines a diff prints: objects present on one side, attributes that differ, the caller's labels.</summary>
public class SchemaDiffTests(PostgresServer server)
{
    private static SnapshotObject Object(string kind, string identity, string? parent = null, params (string Name, string Value)[] attributes) =>
        new(kind, identity, parent, attributes.ToDictionary(a => a.Name, a => a.Value));

    private static SchemaSnapshot Snapshot(params SnapshotObject[] objects) => new(objects);

    [Fact]
    public void Equal_snapshots_have_no_differences_whatever_the_order_they_were_built_in()
    {
        var table = Object(SnapshotKinds.Table, "public.t", null, ("owner", "postgres"));
        var column = Object(SnapshotKinds.Column, "public.t.id", "public.t", ("type", "integer"), ("not null", "true"));
        var reordered = Object(SnapshotKinds.Column, "public.t.id", "public.t", ("not null", "true"), ("type", "integer"));

        SchemaDiff.Compare(Snapshot(table, column), Snapshot(reordered, table), "before", "after").Should().BeEmpty();
        Snapshot(table, column).Should().Be(Snapshot(reordered, table));
    }

    [Fact]
    public void A_changed_attribute_names_the_object_the_attribute_and_both_values_with_the_caller_s_labels()
    {
        var before = Snapshot(Object(SnapshotKinds.Column, "public.users.email", "public.users", ("type", "character varying(255)")));
        var after = Snapshot(Object(SnapshotKinds.Column, "public.users.email", "public.users", ("type", "text")));

        var difference = SchemaDiff.Compare(before, after, "before", "after rollback").Should().ContainSingle().Subject;

        difference.Text.Should().Be("column public.users.email: type text after rollback, character varying(255) before");
        difference.Should().BeEquivalentTo(new
        {
            Kind = "column", Identity = "public.users.email", Presence = ObjectPresence.Both, Attribute = "type",
            Before = "character varying(255)", After = "text",
        });
    }

    [Fact]
    public void An_attribute_set_on_one_side_only_reads_none_on_the_other()
    {
        var before = Snapshot(Object(SnapshotKinds.Policy, "p on public.t", "public.t", ("using", "(auth.uid() = user_id)")));
        var after = Snapshot(Object(SnapshotKinds.Policy, "p on public.t", "public.t"));

        SchemaDiff.Compare(before, after, "before", "after rollback").Select(d => d.Text).Should().Equal(
            "policy p on public.t: using none after rollback, (auth.uid() = user_id) before");
    }

    [Fact]
    public void A_long_value_is_shown_on_one_line_around_where_the_two_first_differ()
    {
        var body = "BEGIN\n    UPDATE accounts SET balance = balance - amount WHERE id = source;\n    UPDATE accounts SET balance = balance + amount WHERE id = target;\nEND";
        var before = Snapshot(Object(SnapshotKinds.Function, "public.transfer(bigint)", null, ("body", body)));
        var after = Snapshot(Object(SnapshotKinds.Function, "public.transfer(bigint)", null, ("body", body.Replace("id = target", "id = source"))));

        var text = SchemaDiff.Compare(before, after, "before", "after").Should().ContainSingle().Subject.Text;

        text.Should().Be("function public.transfer(bigint): body differs: "
            + "...balance + amount WHERE id = source; END after, ...balance + amount WHERE id = target; END before");
    }

    [Fact]
    public void A_missing_table_is_one_line_not_one_per_column_and_index()
    {
        var table = Object(SnapshotKinds.Table, "public.t");
        var column = Object(SnapshotKinds.Column, "public.t.id", "public.t", ("type", "integer"));
        var index = Object(SnapshotKinds.Index, "public.t_id on public.t", "public.t", ("definition", "CREATE INDEX t_id ON public.t USING btree (id)"));

        var differences = SchemaDiff.Compare(Snapshot(table, column, index), Snapshot(), "before", "after rollback");

        differences.Select(d => d.Text).Should().Equal("table public.t: absent after rollback, present before");
        differences[0].Presence.Should().Be(ObjectPresence.BeforeOnly);
    }

    [Fact]
    public async Task A_down_that_forgets_an_index_is_named_in_the_diff()
    {
        await using var db = await server.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE t (id int, x text)");
        var before = await SnapshotReading.ReadAsync(db);
        await db.ExecuteAsync("ALTER TABLE t ADD COLUMN note text; CREATE INDEX idx_x ON t (x);");   // up
        await db.ExecuteAsync("ALTER TABLE t DROP COLUMN note;");                                   // down, without DROP INDEX

        var afterRollback = await SnapshotReading.ReadAsync(db);

        SchemaDiff.Compare(before, afterRollback, "before", "after rollback").Select(d => d.Text)
            .Should().Equal("index public.idx_x on public.t: present after rollback, absent before");
    }
}
