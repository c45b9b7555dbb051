using Strata.Sql;

namespace Strata.Migrations;

/// <summary>
/// Statements the <c>-- migrate:verify</c> section may not hold. Its queries run in one
/// transaction that is rolled back, so that verifying leaves the database as up left it: a
/// statement PostgreSQL refuses inside a transaction block (<c>CREATE INDEX CONCURRENTLY</c>,
/// <c>VACUUM</c>) would fail there, and a <c>COMMIT</c> would keep whatever the queries changed.
/// Refused before anything runs.
/// </summary>
internal static class VerifySectionRules
{
    /// <summary>The problems of a verify section's <paramref name="statements"/>; none for plain queries.</summary>
    public static IEnumerable<Problem> Check(string path, IReadOnlyList<SqlStatement> statements)
    {
        // The first BEGIN/COMMIT says it all; its partner would only repeat the advice.
        if (statements.FirstOrDefault(s => s.Facts.IsTransactionControl) is { } control)
            yield return MigrationProblems.TransactionControlInVerify(path, control.Line, control.Column, control.Facts.Verb);
        // COMMIT PREPARED is both; transaction-control-in-verify above already says what to do.
        foreach (var statement in statements.Where(s => !s.Facts.RunsInTransaction && !s.Facts.IsTransactionControl))
            yield return MigrationProblems.NotAllowedInVerify(path, statement.Line, statement.Column, statement.Facts.Verb);
    }
}
