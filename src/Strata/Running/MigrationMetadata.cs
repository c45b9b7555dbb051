using System.Text;
using System.Text.Json;
using Strata.Migrations;

namespace Strata.Running;

/// <summary>
/// The JSON written to <c>schema_versions.metadata</c> and event details. Written with
/// Utf8JsonWriter: no reflection, so the native binary needs no serializer metadata.
/// </summary>
public static class MigrationMetadata
{
    private static readonly HashSet<string> TableVerbs = new(StringComparer.Ordinal)
    {
        "CREATE TABLE", "ALTER TABLE", "DROP TABLE", "CREATE INDEX", "INSERT", "UPDATE", "DELETE", "TRUNCATE",
        "COMMENT", "ANALYZE", "VACUUM", "CREATE POLICY", "ALTER POLICY", "DROP POLICY", "CREATE TRIGGER", "LOCK", "CLUSTER",
    };

    /// <summary>Tables a section's statements touch, history tables excluded, in first-seen order.</summary>
    public static IReadOnlyList<string> AffectedTables(MigrationSection section, Strata.History.HistoryTable table)
    {
        var seen = new List<string>();
        foreach (var statement in section.Statements)
        {
            if (statement.Facts.Target is not { } target || !TableVerbs.Contains(statement.Facts.Verb)) continue;
            if (IsHistoryTable(target, table)) continue;
            if (!seen.Contains(target)) seen.Add(target);
        }
        return seen;
    }

    /// <summary>True when a statement target names the history table or its events table.</summary>
    public static bool IsHistoryTable(string target, Strata.History.HistoryTable table) =>
        target == table.Name || target == table.Qualified || target == table.EventsName || target == $"{table.Schema}.{table.EventsName}";

    /// <summary>The metadata of one apply attempt.</summary>
    public static string Build(MigrationFile file, RunSettings settings, int lockRetries, MigrationFailure? failure = null, string action = "apply")
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("tool", "strata");
            json.WriteString("tool_version", settings.ToolVersion);
            json.WriteString("action", action);
            if (settings.Environment is not null) json.WriteString("environment", settings.Environment);
            if (settings.GitCommit is not null) json.WriteString("git_commit", settings.GitCommit);
            json.WriteNumber("statement_count", file.Up.Statements.Count);
            json.WriteBoolean("transactional", file.Up.IsTransactional);
            json.WriteNumber("lock_retries", lockRetries);
            json.WriteString("rollback", file.Irreversible ? "irreversible" : file.Down is null ? "none" : "stored");
            json.WriteStartArray("affected_tables");
            foreach (var t in AffectedTables(file.Up, settings.Table)) json.WriteStringValue(t);
            json.WriteEndArray();
            if (failure is not null) WriteFailure(json, failure);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteFailure(Utf8JsonWriter json, MigrationFailure failure)
    {
        json.WriteStartObject("error");
        json.WriteString("message", failure.Message);
        if (failure.SqlState is not null) json.WriteString("sqlstate", failure.SqlState);
        if (failure.Line is { } line) json.WriteNumber("line", line);
        if (failure.Column is { } column) json.WriteNumber("column", column);
        if (failure.Detail is not null) json.WriteString("detail", failure.Detail);
        json.WriteNumber("committed_statements", failure.CommittedStatements);
        json.WriteStartArray("invalid_indexes");
        foreach (var index in failure.InvalidIndexes) json.WriteStringValue(index);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The INVALID indexes a failed attempt recorded in its metadata.</summary>
    public static IReadOnlyList<string> ReadInvalidIndexes(string? metadata) =>
        WithError(metadata, error =>
            error.TryGetProperty("invalid_indexes", out var indexes) && indexes.ValueKind == JsonValueKind.Array
                ? (IReadOnlyList<string>)[.. indexes.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!)]
                : [], []);

    /// <summary>Reads the error a failed row recorded, for <c>status</c>.</summary>
    public static (string? Message, int? Line) ReadError(string? metadata) =>
        WithError<(string?, int?)>(metadata, error => (
            error.TryGetProperty("message", out var m) ? m.GetString() : null,
            error.TryGetProperty("line", out var l) && l.TryGetInt32(out var n) ? n : null), (null, null));

    private static T WithError<T>(string? metadata, Func<JsonElement, T> read, T none)
    {
        if (metadata is null) return none;
        try
        {
            using var document = JsonDocument.Parse(metadata);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                ? read(error)
                : none;
        }
        catch (JsonException)
        {
            return none;
        }
    }
}
