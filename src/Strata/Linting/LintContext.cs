using System.Collections.Immutable;

namespace Strata.Linting;

/// <summary>
/// What rules know beyond one statement: the file being linted, the folder's history before it
/// (tables earlier migrations created, objects they marked deprecated and when), and the project's
/// lint settings. Two-phase rules ("no DROP COLUMN without a deprecation first") read it. Each
/// file gets its own context, a snapshot of the history at that file, so files lint in parallel.
/// </summary>
internal sealed class LintContext
{
    private readonly ImmutableHashSet<string> _createdTables;
    private readonly ImmutableDictionary<string, DateTime?> _deprecated;
    private readonly Dictionary<string, int> _createdHere = new(StringComparer.Ordinal);

    private LintContext(LintSettings settings, LintFile file, ImmutableHashSet<string> createdTables, ImmutableDictionary<string, DateTime?> deprecated)
    {
        Settings = settings;
        File = file;
        _createdTables = createdTables;
        _deprecated = deprecated;
        // Where this file creates each table, so "created earlier in this file" is one lookup.
        for (var i = 0; i < file.Up.Count; i++)
        {
            var s = file.Up[i];
            var created = s.Is("CreateStmt", out var create) ? ParseTree.Relation(create) : s.Node is null && s.Facts.Verb == "CREATE TABLE" ? s.Facts.Target : null;
            if (created is not null) _createdHere.TryAdd(Normalise(created), i);
        }
    }

    /// <summary>The project's settings.</summary>
    public LintSettings Settings { get; }

    /// <summary>The file being linted.</summary>
    public LintFile File { get; }

    /// <summary>True when a migration before this file created <paramref name="table"/> (plain or schema-qualified, lower case).</summary>
    public bool CreatedEarlier(string table) => _createdTables.Contains(Normalise(table));

    /// <summary>
    /// When an earlier migration marked <paramref name="obj"/> deprecated (a COMMENT whose text
    /// starts with DEPRECATED): its file's timestamp, or null when none did.
    /// </summary>
    public bool DeprecatedEarlier(string obj, out DateTime? at) => _deprecated.TryGetValue(Normalise(obj), out at);

    /// <summary>
    /// True when this file creates <paramref name="table"/> before <paramref name="statement"/>:
    /// a table nobody can use yet, so locks and rewrites on it cost nothing.
    /// </summary>
    public bool CreatedInThisFile(string table, LintStatement statement) =>
        _createdHere.TryGetValue(Normalise(table), out var at) && at < IndexOf(statement);

    /// <summary>True when a statement of this file before <paramref name="statement"/> validates a constraint of <paramref name="table"/>.</summary>
    public bool ValidatedBefore(string table, LintStatement statement) =>
        File.Up.Take(IndexOf(statement)).Any(s => s.NodeType == "AlterTableStmt" && s.Table is { } altered &&
            Normalise(altered) == Normalise(table) && s.AlterCommandsOf("AT_ValidateConstraint").Any());

    /// <summary>True when a statement of this file before <paramref name="statement"/> is a DROP ... IF EXISTS of that object (<paramref name="removeType"/>, e.g. OBJECT_TRIGGER).</summary>
    public bool DroppedBefore(string removeType, string name, LintStatement statement) =>
        File.Up.Take(IndexOf(statement)).Any(s =>
            s.Is("DropStmt", out var drop) && ParseTree.Text(drop, "removeType") == removeType && ParseTree.Flag(drop, "missing_ok") &&
            ParseTree.List(drop, "objects").Any(o => ParseTree.ListItems(o).LastOrDefault() is { ValueKind: System.Text.Json.JsonValueKind.Object } last &&
                last.TryGetProperty("String", out var dropped) && ParseTree.Text(dropped, "sval") == name));

    private int IndexOf(LintStatement statement)
    {
        // A statement a DO block runs stands where the block stands.
        while (statement.Parent is { } parent) statement = parent;
        for (var i = 0; i < File.Up.Count; i++)
            if (ReferenceEquals(File.Up[i], statement)) return i;
        return File.Up.Count;
    }

    /// <summary>"public.t" and "t" are the same table to a migration folder that never sets search_path.</summary>
    private static string Normalise(string name) => name.StartsWith("public.", StringComparison.Ordinal) ? name[7..] : name;

    /// <summary>
    /// The folder's history, file by file: <see cref="ContextFor"/> gives a file the history before
    /// it, <see cref="Remember"/> adds what the file did for the files after it.
    /// </summary>
    public sealed class History(LintSettings settings)
    {
        private ImmutableHashSet<string> _createdTables = ImmutableHashSet.Create<string>(StringComparer.Ordinal);
        private ImmutableDictionary<string, DateTime?> _deprecated = ImmutableDictionary.Create<string, DateTime?>(StringComparer.Ordinal);

        /// <summary>The context of <paramref name="file"/>: the history so far, frozen.</summary>
        public LintContext ContextFor(LintFile file) => new(settings, file, _createdTables, _deprecated);

        /// <summary>Records what <paramref name="file"/> did that later files need: the tables it created, the objects it deprecated.</summary>
        public void Remember(LintFile file)
        {
            foreach (var statement in file.Up)
            {
                if (statement.Is("CreateStmt", out var create) && ParseTree.Relation(create) is { } table) _createdTables = _createdTables.Add(Normalise(table));
                else if (statement.Node is null && statement.Facts is { Verb: "CREATE TABLE", Target: { } target }) _createdTables = _createdTables.Add(Normalise(target));
                if (statement.Is("CommentStmt", out var comment) && ParseTree.Text(comment, "comment") is { } text
                    && text.TrimStart().StartsWith("DEPRECATED", StringComparison.OrdinalIgnoreCase) && comment.TryGetProperty("object", out var obj)
                    && ParseTree.Text(comment, "objtype") is "OBJECT_COLUMN" or "OBJECT_TABLE")
                {
                    var name = ParseTree.DottedName(obj);
                    _deprecated = _deprecated.SetItem(Normalise(name), file.Timestamp);
                }
            }
        }
    }
}
