using Npgsql;
using NpgsqlTypes;

namespace Strata.Verification;

/// <summary>
/// Checks PL/pgSQL function bodies with the plpgsql_check extension. PostgreSQL checks a body's
/// syntax at CREATE, but the tables, columns and functions it uses only when the line runs:
/// a migration can create a function that fails on its first call. plpgsql_check plans every
/// statement of the body without running it, and so finds those failures on the scratch database.
/// </summary>
internal static partial class FunctionBodyCheck
{
    /// <summary>
    /// Installs plpgsql_check in the connection's database. False, without an exception, when the
    /// server does not have it (its package is not installed) or the role may not create it (it is
    /// not a trusted extension): verify then warns with
    /// <see cref="ScratchContentProblems.FunctionChecksUnavailable"/> and goes on.
    /// </summary>
    internal static async Task<bool> TryInstallAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS plpgsql_check", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        // PostgreSQL 15 raises 0A000 when the control file is missing (earlier versions 58P01,
        // as does a control file whose shared library is gone).
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.FeatureNotSupported or PostgresErrorCodes.UndefinedFile
                                               or PostgresErrorCodes.InsufficientPrivilege)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks each PL/pgSQL function or procedure of <paramref name="functions"/> (identities as
    /// <see cref="SchemaSnapshot"/> writes them) and returns what plpgsql_check found, errors and
    /// warnings, in the order of <paramref name="functions"/>. Routines in other languages, and
    /// identities that name no routine, give nothing. A trigger function is checked once per
    /// table that has a trigger using it; one that no trigger uses gives a
    /// <see cref="FunctionBodyProblem.Skipped"/> note. Needs <see cref="TryInstallAsync"/> to
    /// have succeeded, and a connection with no transaction open.
    /// </summary>
    internal static async Task<IReadOnlyList<FunctionBodyProblem>> CheckAsync(NpgsqlConnection connection, IReadOnlyList<string> functions,
        CancellationToken cancellationToken)
    {
        if (functions.Count == 0) return [];
        var (checker, routines) = await ReadRoutinesAsync(connection, cancellationToken);
        var problems = new List<FunctionBodyProblem>();
        foreach (var identity in functions.Distinct(StringComparer.Ordinal))
        {
            if (!routines.TryGetValue(identity, out var routine)) continue;
            if (!routine.IsTrigger)
                problems.AddRange(await CheckOneAsync(connection, checker, identity, routine.Oid, null, cancellationToken));
            else if (routine.Triggers.Count == 0)
                problems.Add(new FunctionBodyProblem(identity, null,
                    "not checked: plpgsql_check checks a trigger function against the table of a trigger that uses it, and no trigger uses this one.",
                    null, null, FunctionBodyProblem.Skipped));
            else
                foreach (var trigger in routine.Triggers)
                    problems.AddRange(await CheckOneAsync(connection, checker, identity, routine.Oid, trigger, cancellationToken));
        }
        return problems;
    }

    private sealed record Routine(uint Oid, bool IsTrigger, List<TriggerUse> Triggers);

    // The transition table names matter: without them a REFERENCING NEW TABLE AS t body reads as
    // using a table t that does not exist.
    private sealed record TriggerUse(uint Relid, string Table, string? OldTable, string? NewTable);

    // Identities are read under the snapshot's settings, so that argument types print exactly as
    // the snapshot printed them; the checks then run outside that transaction, under the session's
    // own search_path, which is what the bodies resolve their names through when they run.
    private static async Task<(string Checker, Dictionary<string, Routine> Routines)> ReadRoutinesAsync(NpgsqlConnection connection,
        CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var settings = new NpgsqlCommand(SnapshotQueries.Settings, connection, transaction))
            await settings.ExecuteNonQueryAsync(cancellationToken);

        const string extension = """
            SELECT quote_ident(n.nspname) FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'plpgsql_check'
            """;
        await using var schemaCommand = new NpgsqlCommand(extension, connection, transaction);
        var schema = await schemaCommand.ExecuteScalarAsync(cancellationToken) as string
            ?? throw new InvalidOperationException("plpgsql_check is not installed in this database: call TryInstallAsync first.");

        const string sql = $$"""
            SELECT {{SnapshotQueries.RoutineIdentity}}, p.oid, p.prorettype = 'trigger'::regtype,
                   t.tgrelid, t.tgrelid::regclass::text, t.tgoldtable::text, t.tgnewtable::text
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
            LEFT JOIN pg_trigger t ON t.tgfoid = p.oid
            WHERE l.lanname = 'plpgsql' AND p.prokind IN ('f', 'p')
              AND n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema'
            ORDER BY 1, 5, 6, 7
            """;
        var routines = new Dictionary<string, Routine>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var identity = reader.GetString(0);
                if (!routines.TryGetValue(identity, out var routine))
                    routines[identity] = routine = new Routine(reader.GetFieldValue<uint>(1), reader.GetBoolean(2), []);
                if (reader.IsDBNull(3)) continue;
                var use = new TriggerUse(reader.GetFieldValue<uint>(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6));
                if (!routine.Triggers.Contains(use)) routine.Triggers.Add(use);
            }
        }
        await transaction.RollbackAsync(cancellationToken);
        return ($"{schema}.plpgsql_check_function_tb", routines);
    }

    private static async Task<IReadOnlyList<FunctionBodyProblem>> CheckOneAsync(NpgsqlConnection connection, string checker, string identity,
        uint oid, TriggerUse? trigger, CancellationToken cancellationToken)
    {
        // fatal_errors off: every broken line of a body at once, not only the first. Extra warnings
        // (unused parameters, never-read variables) are left out: style, not failures.
        var sql = $"""
            SELECT lineno, statement, sqlstate, message, hint, level, query
            FROM {checker}($1::pg_catalog.regprocedure, $2::pg_catalog.regclass, fatal_errors => false, extra_warnings => false,
                           oldtable => $3::pg_catalog.name, newtable => $4::pg_catalog.name)
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Oid, Value = oid });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Oid, Value = trigger?.Relid ?? 0u });
        command.Parameters.Add(Text(trigger?.OldTable));
        command.Parameters.Add(Text(trigger?.NewTable));
        var problems = new List<FunctionBodyProblem>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var sqlstate = reader.IsDBNull(2) ? null : reader.GetString(2);
                problems.Add(new FunctionBodyProblem(identity, sqlstate is null or "00000" ? null : sqlstate,
                    reader.IsDBNull(3) ? "" : reader.GetString(3), reader.IsDBNull(0) ? null : reader.GetInt32(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(5) ? FunctionBodyProblem.Error : reader.GetString(5))
                {
                    Hint = reader.IsDBNull(4) ? null : reader.GetString(4),
                    Query = reader.IsDBNull(6) ? null : reader.GetString(6),
                    Table = trigger?.Table,
                });
            }
        }
        // plpgsql_check refuses some routines outright (e.g. a polymorphic signature it cannot
        // pick types for): that is a routine left unchecked, not a body found broken.
        catch (PostgresException ex)
        {
            problems.Add(new FunctionBodyProblem(identity, null, $"not checked: plpgsql_check refused it: {ex.MessageText}", null, null,
                FunctionBodyProblem.Skipped) { Table = trigger?.Table });
        }
        return problems;
    }

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };
}
