using Strata.Migrations;

namespace Strata.Verification;

internal static partial class FunctionBodyCheck
{
    /// <summary>
    /// Where a function came from: the file of the last CREATE [OR REPLACE] FUNCTION or PROCEDURE
    /// of it in <paramref name="files"/> (in their order, up sections only; names match as
    /// <see cref="FunctionDefinitions.Find"/> says), and the file line of <paramref name="bodyLine"/>
    /// (counted as PL/pgSQL counts: line 1 is the line of the body's opening quote), or the
    /// statement's first line when the body line is not known. Null when no migration creates it
    /// (e.g. a preamble did, or dynamic SQL).
    /// </summary>
    public static (string File, int Line)? Locate(IReadOnlyList<MigrationFile> files, string functionIdentity, int? bodyLine)
    {
        if (FunctionDefinitions.Find(files.SelectMany(f => f.Up.Statements.Select(s => (f, s))), functionIdentity) is not { } found) return null;
        return (found.File.Path, bodyLine is { } n && found.Body is { } body ? body.FileLine(n) : found.Statement.Line);
    }
}
