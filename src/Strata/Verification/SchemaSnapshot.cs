using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;

namespace Strata.Verification;

/// <summary>
/// A database's schema as comparable data: every user object (see <see cref="SnapshotKinds"/>)
/// with its identity and its attributes as PostgreSQL prints them, sorted, and with nothing that
/// a drop and an identical re-create would change (no OIDs, attribute numbers or sequence values).
/// Two snapshots of the same schema are equal and serialise to the same bytes.
/// </summary>
/// <remarks>
/// Every kind has the one shape of <see cref="SnapshotObject"/> rather than a record per kind: the
/// diff is then one function that names whichever attribute differs, and a new attribute is one
/// line of catalog SQL (<see cref="SnapshotQueries"/>) instead of a change in several places.
/// </remarks>
/// <param name="Objects">The objects, in any order; the snapshot keeps them sorted.</param>
public sealed record SchemaSnapshot(IReadOnlyList<SnapshotObject> Objects)
{
    /// <summary>The objects, sorted by kind (in <see cref="SnapshotKinds.All"/> order) then identity.</summary>
    public IReadOnlyList<SnapshotObject> Objects { get; } =
        [.. Objects.OrderBy(o => SnapshotKinds.Rank(o.Kind)).ThenBy(o => o.Identity, StringComparer.Ordinal)];

    /// <summary>The object of that kind and identity, or null.</summary>
    public SnapshotObject? Find(string kind, string identity) => Objects.FirstOrDefault(o => o.Kind == kind && o.Identity == identity);

    /// <summary>Indented JSON with LF line ends; the same schema always gives the same bytes.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SnapshotJsonContext.Relaxed.SchemaSnapshot);

    /// <summary>Reads what <see cref="ToJson"/> wrote.</summary>
    /// <exception cref="JsonException">The text is not a snapshot.</exception>
    public static SchemaSnapshot FromJson(string json) =>
        JsonSerializer.Deserialize(json, SnapshotJsonContext.Relaxed.SchemaSnapshot) ?? throw new JsonException("The snapshot JSON is null.");

    /// <summary>True when both hold the same objects with the same attributes.</summary>
    public bool Equals(SchemaSnapshot? other) => other is not null && Objects.SequenceEqual(other.Objects);

    /// <inheritdoc/>
    public override int GetHashCode() => Objects.Aggregate(Objects.Count, (hash, o) => HashCode.Combine(hash, o));

    /// <summary>
    /// Reads the schema in one catalog query. The connection must have no transaction open: the
    /// read opens its own, so that the settings that make the server's text deterministic
    /// (<see cref="SnapshotQueries.Settings"/>) end with it and the caller's session is unchanged.
    /// </summary>
    internal static async Task<SchemaSnapshot> ReadAsync(NpgsqlConnection connection, SnapshotOptions options, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var settings = new NpgsqlCommand(SnapshotQueries.Settings, connection, transaction))
            await settings.ExecuteNonQueryAsync(cancellationToken);

        await using var command = new NpgsqlCommand(SnapshotQueries.Objects, connection, transaction);
        command.Parameters.Add(Text(JsonSerializer.Serialize(options.SkippedSchemas, SnapshotJsonContext.Relaxed.IReadOnlyListString)));
        command.Parameters.Add(Text(options.History?.Schema));
        command.Parameters.Add(Text(options.History?.Name));
        command.Parameters.Add(Text(options.History?.EventsName));
        var objects = new List<SnapshotObject>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                objects.Add(new SnapshotObject(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    Attributes(reader.GetString(3))));
        }
        await transaction.RollbackAsync(cancellationToken);
        return new SchemaSnapshot(objects);
    }

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    // A NULL attribute is left out: "no comment" and "no default" read as absent, in the JSON and the diff.
    private static Dictionary<string, string> Attributes(string json)
    {
        using var document = JsonDocument.Parse(json);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
            if (property.Value.ValueKind == JsonValueKind.String) attributes[property.Name] = property.Value.GetString()!;
        return attributes;
    }
}

/// <summary>One object of a snapshot.</summary>
/// <param name="Kind">One of <see cref="SnapshotKinds"/>.</param>
/// <param name="Identity">
/// What names it across a drop and re-create: schema-qualified, quoted where PostgreSQL would
/// quote, e.g. <c>public.users</c>, <c>public.users.email</c>, <c>users_pkey on public.users</c>,
/// <c>public.f(integer, text)</c>. Unique within its kind.
/// </param>
/// <param name="Parent">The identity of the table or view a column, constraint, index, trigger or policy belongs to; null otherwise.</param>
/// <param name="Attributes">Attribute name to value, as PostgreSQL prints it; an attribute that is not set is absent.</param>
public sealed record SnapshotObject(string Kind, string Identity, string? Parent, IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>The attribute's value, or null when it is not set.</summary>
    public string? Attribute(string name) => Attributes.GetValueOrDefault(name);

    /// <summary>True when kind, identity, parent and every attribute are the same.</summary>
    public bool Equals(SnapshotObject? other) =>
        other is not null && Kind == other.Kind && Identity == other.Identity && Parent == other.Parent
        && Attributes.Count == other.Attributes.Count
        && Attributes.All(a => other.Attributes.TryGetValue(a.Key, out var value) && value == a.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Identity, Parent, Attributes.Count);
}

// Relaxed escaping keeps quotes and operators readable in definitions ('a'::text, not
// \u0027a\u0027::text); the text is a file or terminal output, never embedded in HTML. LF line
// ends on every platform, so a snapshot file is the same bytes wherever it was written.
[JsonSerializable(typeof(SchemaSnapshot))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext
{
    public static SnapshotJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
