using System.Text.Json;

namespace Strata.Linting;

/// <summary>
/// Reading libpg_query's JSON parse tree (PostgreSQL 15's node names and fields: a false boolean
/// or an empty list is left out of the JSON, so absence means false).
/// </summary>
internal static class ParseTree
{
    /// <summary>A boolean field; absent means false.</summary>
    public static bool Flag(JsonElement node, string field) =>
        node.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>A string field, or null.</summary>
    public static string? Text(JsonElement node, string field) =>
        node.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The elements of a list field; empty when absent.</summary>
    public static IEnumerable<JsonElement> List(JsonElement node, string field) =>
        node.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    /// <summary>"schema.name" or "name" of a RangeVar node (<c>relation</c>).</summary>
    public static string? Relation(JsonElement node, string field = "relation")
    {
        if (!node.TryGetProperty(field, out var relation)) return null;
        var name = Text(relation, "relname");
        var schema = Text(relation, "schemaname");
        return name is null ? null : schema is null ? name : $"{schema}.{name}";
    }

    /// <summary>The dotted name of a list of String nodes (<c>[{"String":{"sval":"a"}}, ...]</c>), as in DropStmt objects.</summary>
    public static string DottedName(JsonElement items) =>
        string.Join('.', (items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : ListItems(items))
            .Select(i => i.TryGetProperty("String", out var s) ? Text(s, "sval") : null).Where(s => s is not null));

    /// <summary>The items of a <c>{"List": {"items": [...]}}</c> node.</summary>
    public static IEnumerable<JsonElement> ListItems(JsonElement node) =>
        node.TryGetProperty("List", out var list) ? List(list, "items") : [];

    /// <summary>Every property of every object anywhere under <paramref name="node"/>, depth first: the one walk rules that search a tree share.</summary>
    public static IEnumerable<JsonProperty> Properties(JsonElement node)
    {
        var stack = new Stack<JsonElement>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (current.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in current.EnumerateArray()) stack.Push(item);
                continue;
            }
            if (current.ValueKind != JsonValueKind.Object) continue;
            foreach (var property in current.EnumerateObject())
            {
                yield return property;
                stack.Push(property.Value);
            }
        }
    }

    /// <summary>The type name of a ColumnDef (<c>typeName.names</c>' last part, e.g. "timestamp", "int4", "varchar").</summary>
    public static string? TypeName(JsonElement columnDef) =>
        columnDef.TryGetProperty("typeName", out var type) ? List(type, "names").Select(n => n.TryGetProperty("String", out var s) ? Text(s, "sval") : null).LastOrDefault() : null;

    /// <summary>The column definitions a statement adds (read once through <see cref="LintStatement.ColumnDefinitions"/>).</summary>
    public static IEnumerable<JsonElement> ColumnDefinitions(LintStatement statement)
    {
        var elements = statement.Is("CreateStmt", out var create) ? List(create, "tableElts")
            : statement.Is("AlterTableStmt", out _) ? statement.AlterCommandsOf("AT_AddColumn").Select(c => c.TryGetProperty("def", out var d) ? d : default)
            : [];
        foreach (var element in elements)
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("ColumnDef", out var column)) yield return column;
    }

    /// <summary>The AlterTableCmd bodies of an AlterTableStmt.</summary>
    public static IEnumerable<JsonElement> AlterCommands(JsonElement alter) =>
        List(alter, "cmds").Select(c => c.TryGetProperty("AlterTableCmd", out var cmd) ? cmd : default).Where(c => c.ValueKind == JsonValueKind.Object);

    /// <summary>The contype values of a ColumnDef's constraints (CONSTR_NOTNULL, CONSTR_DEFAULT, CONSTR_IDENTITY, ...).</summary>
    public static IEnumerable<string> ConstraintTypes(JsonElement columnDef) =>
        List(columnDef, "constraints").Select(c => c.TryGetProperty("Constraint", out var constraint) ? Text(constraint, "contype") : null).OfType<string>();
}
