namespace Strata.Sql;

/// <summary>
/// What a statement is, read from its leading keywords without parsing it.
/// </summary>
/// <param name="Verb">
/// Normalised leading keywords in upper case: "CREATE TABLE", "CREATE INDEX", "ALTER TABLE",
/// "INSERT", "DO", ... Modifiers are dropped (CREATE OR REPLACE FUNCTION is "CREATE FUNCTION",
/// CREATE UNIQUE INDEX is "CREATE INDEX", CREATE TEMP TABLE is "CREATE TABLE"); for a WITH query
/// it is the verb of the main statement. Empty when the statement does not start with a word.
/// </param>
/// <param name="Target">
/// The main object's name: unquoted parts folded to lower case, quoted parts as written without
/// quotes, schema kept when written ("public.users"). For CREATE INDEX, POLICY, TRIGGER and RULE
/// it is the table they are on; for COMMENT ON COLUMN it is the column's table. Null when none.
/// </param>
/// <param name="Concurrently">The statement builds, drops, rebuilds or refreshes CONCURRENTLY.</param>
/// <param name="IfNotExistsOrIfExists">The statement carries an IF [NOT] EXISTS or OR REPLACE guard.</param>
/// <param name="RunsInTransaction">False when PostgreSQL refuses the statement inside a transaction block.</param>
/// <param name="IsTransactionControl">BEGIN, COMMIT, ROLLBACK, SAVEPOINT and the like.</param>
public sealed record StatementFacts(
    string Verb,
    string? Target,
    bool Concurrently,
    bool IfNotExistsOrIfExists,
    bool RunsInTransaction,
    bool IsTransactionControl);
