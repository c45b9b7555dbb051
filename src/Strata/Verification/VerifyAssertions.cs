using Npgsql;
using Strata.Database;
using Strata.Migrations;

namespace Strata.Verification;

/// <summary>
/// A migration's <c>-- migrate:verify</c> queries against a database: each runs in a transaction
/// that is rolled back, each must succeed, and one that returns a single boolean column must
/// return true in every row. <c>verify</c> runs them on its scratch database, <c>deploy</c> on
/// the environment it just deployed to.
/// </summary>
internal static class VerifyAssertions
{
    /// <summary>One line per query that did not hold ("file:line: what"); empty when all held or there are none.</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(DatabaseSession session, MigrationFile file, CancellationToken cancellationToken)
    {
        if (file.Verify is not { } section) return [];
        var failures = new List<string>();
        foreach (var statement in section.Statements)
        {
            var where = $"{file.Path}:{statement.Line}";
            await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken);
            try
            {
                await using var command = new NpgsqlCommand(statement.Text, session.Connection, transaction);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                // By the type's OID (a domain arrives as its base type): Strata does not load the
                // database's types, and asking the driver for the .NET type of an enum or an
                // extension's type would fail.
                var boolean = reader.FieldCount == 1 && reader.GetDataTypeOID(0) == BooleanOid;
                while (boolean && await reader.ReadAsync(cancellationToken))
                {
                    if (!reader.IsDBNull(0) && reader.GetBoolean(0)) continue;
                    failures.Add($"{where}: returned {(reader.IsDBNull(0) ? "NULL" : "false")}: {FirstLine(statement.Text)}");
                    break;
                }
            }
            catch (PostgresException ex)
            {
                failures.Add($"{where}: {ex.SqlState}: {ex.MessageText}: {FirstLine(statement.Text)}");
            }
            finally
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
        }
        return failures;
    }

    private const uint BooleanOid = 16;

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
