using System.Text;

namespace Strata.Verification;

/// <summary>
/// The differences between two snapshots, attribute by attribute, each as one line a person can
/// act on: <c>column public.users.email: type text after rollback, character varying(255) before</c>.
/// The labels name the two moments in the caller's words ("before", "after rollback"); each line
/// gives the value after first, then before: what the database is now, then what it should be.
/// </summary>
public static class SchemaDiff
{
    // Values longer than this are shown as an excerpt around where they first differ: a function
    // body or view definition in full would not be one line.
    private const int ShortValue = 60;
    private const int ExcerptLength = 80;
    private const int ExcerptContext = 24;

    /// <summary>Every difference, in listing order (kind, identity, attribute); empty when the snapshots are equal.</summary>
    public static IReadOnlyList<SchemaDifference> Compare(SchemaSnapshot before, SchemaSnapshot after, string beforeLabel, string afterLabel)
    {
        var beforeObjects = before.Objects.ToDictionary(o => (o.Kind, o.Identity));
        var afterObjects = after.Objects.ToDictionary(o => (o.Kind, o.Identity));
        var onlyBefore = before.Objects.Where(o => !afterObjects.ContainsKey((o.Kind, o.Identity))).Select(o => o.Identity).ToHashSet(StringComparer.Ordinal);
        var onlyAfter = after.Objects.Where(o => !beforeObjects.ContainsKey((o.Kind, o.Identity))).Select(o => o.Identity).ToHashSet(StringComparer.Ordinal);

        var differences = new List<SchemaDifference>();
        foreach (var key in beforeObjects.Keys.Union(afterObjects.Keys).OrderBy(k => SnapshotKinds.Rank(k.Kind)).ThenBy(k => k.Identity, StringComparer.Ordinal))
        {
            var was = beforeObjects.GetValueOrDefault(key);
            var now = afterObjects.GetValueOrDefault(key);
            var subject = $"{key.Kind} {key.Identity}";
            if (was is null || now is null)
            {
                // A table that is missing takes its columns, indexes and the rest with it: one line says it.
                var one = (was ?? now)!;
                if (one.Parent is not null && (was is null ? onlyAfter : onlyBefore).Contains(one.Parent)) continue;
                var presence = was is null ? ObjectPresence.AfterOnly : ObjectPresence.BeforeOnly;
                var text = was is null
                    ? $"{subject}: present {afterLabel}, absent {beforeLabel}"
                    : $"{subject}: absent {afterLabel}, present {beforeLabel}";
                differences.Add(new SchemaDifference(key.Kind, key.Identity, presence, null, null, null, text));
                continue;
            }
            foreach (var attribute in now.Attributes.Keys.Union(was.Attributes.Keys))
            {
                var beforeValue = was.Attribute(attribute);
                var afterValue = now.Attribute(attribute);
                if (beforeValue == afterValue) continue;
                differences.Add(new SchemaDifference(key.Kind, key.Identity, ObjectPresence.Both, attribute, beforeValue, afterValue,
                    $"{subject}: {Describe(attribute, beforeValue, afterValue, beforeLabel, afterLabel)}"));
            }
        }
        return differences;
    }

    private static string Describe(string attribute, string? before, string? after, string beforeLabel, string afterLabel)
    {
        var (was, now) = (OneLine(before), OneLine(after));
        if (was.Length <= ShortValue && now.Length <= ShortValue)
            return $"{attribute} {now} {afterLabel}, {was} {beforeLabel}";
        var (wasExcerpt, nowExcerpt) = Excerpts(was, now);
        return $"{attribute} differs: {nowExcerpt} {afterLabel}, {wasExcerpt} {beforeLabel}";
    }

    // Whitespace runs become one space: the line must stay one line, and a layout-only change
    // still shows (the values differ, only the excerpt is flattened).
    private static string OneLine(string? value)
    {
        if (value is null) return "none";
        if (value.Length == 0) return "empty";
        var text = new StringBuilder(value.Length);
        foreach (var c in value.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                if (text.Length > 0 && text[^1] != ' ') text.Append(' ');
            }
            else text.Append(c);
        }
        return text.ToString();
    }

    // Both values cut at the same place: a little before where they first differ, to a bounded length.
    private static (string Before, string After) Excerpts(string before, string after)
    {
        var common = 0;
        while (common < before.Length && common < after.Length && before[common] == after[common]) common++;
        // Start at a word, so the excerpt does not open on half an identifier.
        var start = Math.Max(0, common - ExcerptContext);
        if (start > 0) start = before.LastIndexOf(' ', start) + 1;
        return (Cut(before, start), Cut(after, start));

        static string Cut(string value, int start)
        {
            var length = Math.Min(ExcerptLength, value.Length - start);
            var excerpt = value.Substring(start, length);
            return (start > 0 ? "..." : "") + excerpt + (start + length < value.Length ? "..." : "");
        }
    }
}

/// <summary>Where an object of a difference exists.</summary>
public enum ObjectPresence
{
    /// <summary>In both snapshots, with an attribute that differs.</summary>
    Both,

    /// <summary>Only in the "before" snapshot: something removed it.</summary>
    BeforeOnly,

    /// <summary>Only in the "after" snapshot: something added it.</summary>
    AfterOnly,
}

/// <summary>One difference between two snapshots.</summary>
/// <param name="Kind">The object's kind (<see cref="SnapshotKinds"/>).</param>
/// <param name="Identity">The object's identity.</param>
/// <param name="Presence">Whether the object is in both snapshots or in one only.</param>
/// <param name="Attribute">The attribute that differs; null when the object itself is in one snapshot only.</param>
/// <param name="Before">The attribute's value before; null when not set.</param>
/// <param name="After">The attribute's value after; null when not set.</param>
/// <param name="Text">One line that names the object, the attribute and both values, with the caller's labels.</param>
public sealed record SchemaDifference(string Kind, string Identity, ObjectPresence Presence, string? Attribute, string? Before, string? After, string Text)
{
    /// <inheritdoc/>
    public override string ToString() => Text;
}
