using System.Text.Json;
using Strata.Sql;

namespace Strata.Linting;

/// <summary>
/// One statement of an up section as rules see it: the splitter's statement (text, position,
/// leading-keyword facts) and, when PostgreSQL's own parser is available, its parse tree node,
/// e.g. <c>{"IndexStmt": {...}}</c>. Rules read facts from the tree; the lexer's facts are the
/// fallback when the parser library is absent, and lint says so once.
/// </summary>
/// <param name="Statement">The statement as split from the file.</param>
/// <param name="Node">Its parse tree node (the value of <c>stmts[0].stmt</c>), or null without the parser or on a syntax error.</param>
/// <param name="Source">The section text the statement's token offsets index.</param>
internal sealed record LintStatement(SqlStatement Statement, JsonElement? Node, string Source)
{
    /// <summary>The syntax finding when PostgreSQL's parser or the PL/pgSQL compiler rejects the statement.</summary>
    public RuleHit? Rejection { get; init; }

    /// <summary>For a DO block or a PL/pgSQL function: its body as PL/pgSQL compiles it (a list of PLpgSQL_function nodes, or one).</summary>
    public JsonElement? Plpgsql { get; init; }

    /// <summary>For a statement a DO block runs: that DO statement; null for a statement of the file itself.</summary>
    public LintStatement? Parent { get; init; }

    /// <summary>For a DO block: the statements its body runs (see <see cref="NestedStatements"/>); empty otherwise.</summary>
    public IReadOnlyList<LintStatement> Nested { get; set; } = [];

    /// <summary>True for INSERT, UPDATE and DELETE: statements that write rows rather than change the schema.</summary>
    public bool IsDataStatement =>
        NodeType is "InsertStmt" or "UpdateStmt" or "DeleteStmt" || (Node is null && Facts.Verb is "INSERT" or "UPDATE" or "DELETE");

    /// <summary>The statement's plain string literals with their tokens, unquoted (<c>'it''s'</c> reads <c>it's</c>), for rules that point at a literal.</summary>
    public IEnumerable<(SqlToken Token, string Value)> StringLiterals()
    {
        foreach (var token in Statement.Tokens)
        {
            if (token.Kind != SqlTokenKind.String) continue;
            var text = TokenText(token);
            if (text.Length >= 2 && text[0] == '\'' && text[^1] == '\'') yield return (token, text[1..^1].Replace("''", "'", StringComparison.Ordinal));
        }
    }

    /// <summary>The text of one of the statement's tokens.</summary>
    public string TokenText(SqlToken token) => token.TextIn(Source);

    /// <summary>1-based file line of the statement's first token.</summary>
    public int Line => Statement.Line;

    /// <summary>1-based column of its first token.</summary>
    public int Column => Statement.Column;

    /// <summary>The lexer's facts: verb and target from the leading keywords.</summary>
    public StatementFacts Facts => Statement.Facts;

    // A node is an object with one property, its type: read once here, because every rule asks
    // every statement "are you an IndexStmt?" and a name lookup in the document each time was a
    // tenth of lint's time.
    private readonly (string? Type, JsonElement Body) _typed = Typed(Node);

    /// <summary>The node's type (e.g. "IndexStmt"), or null without a node.</summary>
    public string? NodeType => _typed.Type;

    /// <summary>The node's body when the statement is of <paramref name="type"/> (e.g. "IndexStmt").</summary>
    public bool Is(string type, out JsonElement body)
    {
        var match = _typed.Type is not null && string.Equals(_typed.Type, type, StringComparison.Ordinal);
        body = match ? _typed.Body : default;
        return match;
    }

    private (string? Subtype, JsonElement Body)[]? _alterCommands;
    private JsonElement[]? _columns;
    private string? _table;
    private bool _tableRead;

    /// <summary>
    /// "schema.name" or "name" of the table the statement's node names in its <c>relation</c>
    /// field (ALTER TABLE, CREATE TABLE, CREATE INDEX, INSERT, ...), or null. Read once: most rules ask.
    /// </summary>
    public string? Table
    {
        get
        {
            if (!_tableRead)
            {
                _table = _typed.Type is null ? null : ParseTree.Relation(_typed.Body);
                _tableRead = true;
            }
            return _table;
        }
    }

    /// <summary>An ALTER TABLE's commands (AlterTableCmd bodies) with their subtype (AT_AddColumn, ...); empty for other statements. Read once: half the rules walk them.</summary>
    public IReadOnlyList<(string? Subtype, JsonElement Body)> AlterCommands =>
        _alterCommands ??= Is("AlterTableStmt", out var alter) ? [.. ParseTree.AlterCommands(alter).Select(c => (ParseTree.Text(c, "subtype"), c))] : [];

    /// <summary>The ALTER TABLE commands of one <paramref name="subtype"/> (e.g. AT_AddConstraint).</summary>
    public IEnumerable<JsonElement> AlterCommandsOf(string subtype)
    {
        foreach (var (kind, body) in AlterCommands)
            if (kind == subtype) yield return body;
    }

    /// <summary>The Constraint bodies of an ALTER TABLE's ADD CONSTRAINT commands, with their contype (CONSTR_CHECK, CONSTR_UNIQUE, ...).</summary>
    public IEnumerable<(string? Type, JsonElement Constraint)> AddedConstraints()
    {
        foreach (var command in AlterCommandsOf("AT_AddConstraint"))
        {
            if (command.TryGetProperty("def", out var def) && def.TryGetProperty("Constraint", out var constraint))
                yield return (ParseTree.Text(constraint, "contype"), constraint);
        }
    }

    /// <summary>The column definitions the statement adds: CREATE TABLE's columns, ALTER TABLE's ADD COLUMNs.</summary>
    public IReadOnlyList<JsonElement> ColumnDefinitions => _columns ??= [.. ParseTree.ColumnDefinitions(this)];

    private static (string?, JsonElement) Typed(JsonElement? node)
    {
        if (node is not { ValueKind: JsonValueKind.Object } value) return (null, default);
        foreach (var property in value.EnumerateObject()) return (property.Name, property.Value);
        return (null, default);
    }
}

/// <summary>
/// A file being linted: its name and text, the migration parsed from it when the text is valid,
/// and the statements of its up section (down sections drop what up created by nature, so rules
/// never read them).
/// </summary>
/// <param name="Path">The file as given or found.</param>
/// <param name="Name">Its file name.</param>
/// <param name="Text">Its normalised text.</param>
/// <param name="Timestamp">The UTC time of its name's 14 digits; null for a name outside the convention.</param>
/// <param name="Up">The up section's statements.</param>
/// <param name="HasDown">The file has a down section with SQL.</param>
/// <param name="Irreversible">The file declares <c>-- migrate:down irreversible</c>.</param>
/// <param name="Description">The description the parser read, or null when the file has none of its own.</param>
/// <param name="Problems">What the migration parser refused in the file (markers, encoding, syntax); lint reports them as findings and goes on.</param>
internal sealed record LintFile(string Path, string Name, string Text, DateTime? Timestamp, IReadOnlyList<LintStatement> Up, bool HasDown,
    bool Irreversible, string? Description, IReadOnlyList<Problem> Problems) : IDisposable
{
    /// <summary>The parse tree documents the statements' nodes live in: disposed once the file is linted, so their pooled buffers go back.</summary>
    public List<IDisposable> Documents { get; init; } = [];

    /// <summary>Returns the parse trees' buffers; the nodes must not be read after this.</summary>
    public void Dispose()
    {
        foreach (var document in Documents) document.Dispose();
    }
}
