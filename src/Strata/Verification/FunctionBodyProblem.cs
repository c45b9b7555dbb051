namespace Strata.Verification;

/// <summary>
/// What plpgsql_check found in a PL/pgSQL function body that PostgreSQL accepted at CREATE: a
/// table, column or function it uses that does not exist, a type that does not fit. Also used
/// for a function that could not be checked, with <see cref="Level"/> <see cref="Skipped"/>.
/// </summary>
/// <param name="Function">The function's identity as <see cref="SchemaSnapshot"/> writes it, e.g. <c>public.f(a integer)</c>.</param>
/// <param name="Sqlstate">The error PostgreSQL would raise when the line runs, e.g. 42703 (undefined column); null for warnings and notes.</param>
/// <param name="Message">plpgsql_check's message, e.g. <c>column "x" does not exist</c>; for a skipped function, why.</param>
/// <param name="BodyLine">The line in the body, counted as PL/pgSQL does: line 1 is the line of the opening quote.</param>
/// <param name="Statement">The PL/pgSQL statement's kind as plpgsql_check names it: RETURN, PERFORM, assignment, ...</param>
/// <param name="Level"><c>error</c>, a warning level (<c>warning</c>, <c>warning extra</c>, ...) as plpgsql_check names it, or <see cref="Skipped"/>.</param>
public sealed record FunctionBodyProblem(string Function, string? Sqlstate, string Message, int? BodyLine, string? Statement, string Level)
{
    /// <summary>The level of an error: the function fails when this line runs.</summary>
    public const string Error = "error";

    /// <summary>The level of a note that the function could not be checked.</summary>
    public const string Skipped = "skipped";

    /// <summary>The query of the statement, when the problem is in one (e.g. <c>SELECT no_such_fn(1)</c>).</summary>
    public string? Query { get; init; }

    /// <summary>PostgreSQL's hint, when it gave one.</summary>
    public string? Hint { get; init; }

    /// <summary>For a trigger function: the table whose trigger it was checked for (quoted, schema-qualified).</summary>
    public string? Table { get; init; }

    /// <summary>True for an error (not a warning or a skip note).</summary>
    public bool IsError => Level == Error;
}
