using Spectre.Console;
using Strata.Database;
using Spectre.Console.Rendering;
using Strata.Running;

namespace Strata.Cli.Rendering;

/// <summary>
/// The status table: one row per migration, then the rows a team recorded by hand that have no
/// file (apart, so a bootstrap row does not pass for a migration), then failures, drift and
/// out-of-order files.
/// </summary>
public static class PlanRenderer
{
    public static string StateName(MigrationState state) => state switch
    {
        MigrationState.Pending => "pending",
        MigrationState.Applied => "applied",
        MigrationState.Changed => "drift: changed",
        MigrationState.Missing => "drift: file missing",
        MigrationState.OutOfOrder => "out of order",
        MigrationState.Failed => "failed",
        MigrationState.RolledBack => "rolled back",
        MigrationState.Interrupted => "interrupted",
        MigrationState.Reverted => "reverted",
        _ => state.ToString(),
    };

    public static string Colour(MigrationState state) => state switch
    {
        MigrationState.Applied => "green",
        MigrationState.Pending => "yellow",
        MigrationState.Failed or MigrationState.Changed or MigrationState.Missing or MigrationState.Interrupted => "red",
        MigrationState.OutOfOrder => "darkorange",
        _ => "grey",
    };

    public static void Render(CliContext context, string target, MigrationPlan plan)
    {
        var console = context.Console;
        console.MarkupLine($"Target: [bold]{ProblemRenderer.Safe(target)}[/]");
        if (plan.Entries.Count == 0)
        {
            console.MarkupLine("No migrations in the folder and none recorded.");
            return;
        }
        var migrations = plan.Migrations.ToList();
        var width = console.Profile.Width;
        if (migrations.Count > 0) Write(console, migrations, width);
        else console.MarkupLine("No migrations in the folder.");
        var handRecords = plan.HandRecords.ToList();
        if (handRecords.Count > 0)
        {
            console.MarkupLine("Recorded by hand, with no file in the folder (never drift):");
            Write(console, handRecords, width);
        }
        foreach (var entry in plan.Entries.Where(e => e.State == MigrationState.Failed))
        {
            var error = entry.Row?.StrataMetadata?.Error;
            var where = error?.Line is { } line ? $"{entry.Version}:{line}" : entry.Version;
            console.MarkupLine($"[red]failed[/] {ProblemRenderer.Safe(where)}: {ProblemRenderer.Safe(error?.Message ?? "see 'strata history'")}");
        }
        foreach (var entry in plan.Interrupted)
            console.MarkupLine($"[red]interrupted[/] {ProblemRenderer.Safe(entry.Version)}: {ProblemRenderer.Safe(entry.TookEffect)}. {ProblemRenderer.Safe(Resolve)}");
        foreach (var entry in plan.Drift)
            console.MarkupLine(entry.State == MigrationState.Changed
                ? $"[red]drift[/] {ProblemRenderer.Safe(entry.Version)}: edited after it was applied (recorded {ProblemRenderer.Safe(entry.Row!.Checksum)}, file {ProblemRenderer.Safe(entry.File!.Checksum)})"
                : $"[red]drift[/] {ProblemRenderer.Safe(entry.Version)}: applied, but the file is gone");
        foreach (var entry in plan.OutOfOrder)
            console.MarkupLine($"[darkorange]out of order[/] {ProblemRenderer.Safe(entry.Version)}: older than the newest applied migration; 'strata up --allow-out-of-order' applies it");
        console.MarkupLine(Summary(plan));
    }

    /// <summary>
    /// The migrations as a table from 100 columns, as a list below: a table squeezed under the
    /// width of its versions showed no rows at 80 columns and ran to hundreds of lines at 90.
    /// The list is one line per migration (state, version, then as much of the description as
    /// fits); the times are in the wide table and in --json.
    /// </summary>
    private static void Write(IAnsiConsole console, IReadOnlyList<PlanEntry> entries, int width)
    {
        if (width >= 100)
        {
            WriteTable(console, entries, width);
            return;
        }
        foreach (var entry in entries)
        {
            var state = StateName(entry.State);
            var line = $"  {state.PadRight(13)} {entry.Version}";
            var description = Redactor.ShapesOnly.Redact(entry.File?.Description ?? entry.Row?.Description ?? "");
            var room = width - line.Length - 2;
            if (room >= 12 && description.Length > 0)
                line += "  " + Cut(description, room);
            var version = line.IndexOf(entry.Version, StringComparison.Ordinal);
            console.MarkupLine($"  [{Colour(entry.State)}]{Markup.Escape(state)}[/]{Markup.Escape(line[(2 + state.Length)..version])}{Markup.Escape(line[version..])}");
        }
    }

    /// <summary>
    /// The table, fitted to <paramref name="width"/> (100 columns or more): every column from
    /// 120, without "By" and "ms" below. Laid out here rather than by Spectre's table, which
    /// squeezes and wraps every column (states read "applie/d") once a row is wider than the
    /// screen: columns are as wide as their widest value, nothing wraps (a wrapped version
    /// cannot be copied), and the description gets what is left, cut with an ellipsis, or is
    /// left out when too little is left.
    /// </summary>
    private static void WriteTable(IAnsiConsole console, IReadOnlyList<PlanEntry> entries, int width)
    {
        var full = width >= 120;
        var rows = entries.Select(entry =>
        {
            var row = entry.Row;
            var applied = row?.AppliedAt is { } at && entry.State != MigrationState.Pending ? at.ToUniversalTime().ToString(full ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm") : "";
            var by = Redactor.ShapesOnly.Redact(entry.State == MigrationState.Pending ? "" : row?.AppliedBy ?? "");
            var ms = row?.ExecutionTimeMs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
            string[] cells = full ? [entry.Version, StateName(entry.State), applied, by, ms] : [entry.Version, StateName(entry.State), applied];
            return (Entry: entry, Cells: cells, Description: Redactor.ShapesOnly.Redact(entry.File?.Description ?? row?.Description ?? ""));
        }).ToList();
        string[] headers = full ? ["Version", "State", "Applied at (UTC)", "By", "ms"] : ["Version", "State", "Applied at (UTC)"];
        var widths = headers.Select((h, c) => rows.Select(r => r.Cells[c].Length).Append(h.Length).Max()).ToArray();
        // Two spaces before each column; the description takes the rest of the line.
        var used = widths.Sum() + 2 * widths.Length;
        var room = width - used - 2;
        var withDescription = room >= 12;
        var longest = withDescription ? Math.Min(room, rows.Select(r => r.Description.Length).Append("Description".Length).Max()) : 0;

        string Line(IReadOnlyList<string> cells, string? description)
        {
            var text = new System.Text.StringBuilder();
            for (var c = 0; c < cells.Count; c++)
                text.Append("  ").Append(c == 4 ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
            if (description is not null) text.Append("  ").Append(Cut(description, room));
            return text.ToString();
        }

        console.WriteLine();
        console.WriteLine(Line(headers, withDescription ? "Description" : null));
        console.WriteLine(new string('─', used + (withDescription ? 2 + longest : 0)));
        foreach (var (entry, cells, description) in rows)
        {
            var line = Markup.Escape(Line(cells, withDescription ? description : null));
            // The state is the only coloured cell; it starts after the version column.
            var stateAt = 2 + widths[0] + 2;
            var state = StateName(entry.State);
            console.MarkupLine(line[..stateAt] + $"[{Colour(entry.State)}]{Markup.Escape(state)}[/]" + line[(stateAt + Markup.Escape(state).Length)..]);
        }
        console.WriteLine();
    }

    /// <summary><paramref name="text"/> in at most <paramref name="room"/> characters, cut with an ellipsis.</summary>
    private static string Cut(string text, int room) => text.Length <= room ? text : text[..(room - 1)] + "…";

    /// <summary>The JSON name of a state: stable, snake_case.</summary>
    public static string StateKey(MigrationState state) => state switch
    {
        MigrationState.Pending => "pending",
        MigrationState.Applied => "applied",
        MigrationState.Changed => "changed",
        MigrationState.Missing => "missing",
        MigrationState.OutOfOrder => "out_of_order",
        MigrationState.Failed => "failed",
        MigrationState.RolledBack => "rolled_back",
        MigrationState.Interrupted => "interrupted",
        MigrationState.Reverted => "reverted",
        _ => state.ToString(),
    };

    /// <summary>What resolves an interrupted migration.</summary>
    public const string Resolve = "If the file is idempotent, 'strata up --allow-interrupted' runs it again from its first statement; otherwise undo those statements by hand first.";

    public static Dictionary<string, int> Counts(MigrationPlan plan) =>
        plan.Entries.GroupBy(e => StateKey(e.State)).ToDictionary(g => g.Key, g => g.Count());

    public static string Summary(MigrationPlan plan)
    {
        var handRecords = plan.HandRecords.Count();
        return string.Join(", ", plan.Migrations.GroupBy(e => StateName(e.State)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}")) +
            (handRecords > 0 ? $"; {handRecords} recorded by hand without a file" : "") +
            (plan.HistoryExists ? "" : " (no history table yet)");
    }
}
