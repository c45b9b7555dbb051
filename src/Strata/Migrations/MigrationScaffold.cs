using Strata.Sql;

namespace Strata.Migrations;

/// <summary>
/// The file <c>strata new NAME</c> writes: a fresh timestamp, the description as its first
/// comment line, and empty up and down sections. (The strategy's patterns arrive here as
/// <c>new --pattern</c>.)
/// </summary>
internal static class MigrationScaffold
{
    /// <summary>
    /// Writes a new migration for <paramref name="name"/> into <paramref name="directory"/> and
    /// returns its path, or the problem with the name.
    /// </summary>
    public static async Task<(string? Path, Problem? Problem)> WriteAsync(string directory, string name, DateTime utcNow, CancellationToken cancellationToken)
    {
        var slug = MigrationName.Slugify(name);
        if (slug.Length == 0) return (null, MigrationProblems.BadName(name));
        if (slug.Length > MigrationName.MaxNewSlugLength) return (null, MigrationProblems.NameTooLong(slug));
        return await WriteAsync(directory, slug, _ => Text(MigrationName.Humanise(slug)), utcNow, cancellationToken);
    }

    /// <summary>Writes <paramref name="text"/> (given the file name it gets) as a new file with a fresh timestamp and <paramref name="slug"/>.</summary>
    public static async Task<(string? Path, Problem? Problem)> WriteAsync(string directory, string slug, Func<string, string> text, DateTime utcNow,
        CancellationToken cancellationToken)
    {
        var path = directory;
        try
        {
            Directory.CreateDirectory(directory);
            var fileName = MigrationName.ForNew(utcNow, slug);
            // Two files in the same second would share a timestamp: take the next free second.
            while (Directory.GetFiles(directory, MigrationName.Stamp(fileName) + "_*.sql").Length > 0)
            {
                utcNow = utcNow.AddSeconds(1);
                fileName = MigrationName.ForNew(utcNow, slug);
            }
            path = Path.Combine(directory, fileName);
            await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            await using var writer = new StreamWriter(stream);
            await writer.WriteAsync(text(fileName).AsMemory(), cancellationToken);
            return (path, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, MigrationProblems.CannotWriteMigration(path, ex.Message));
        }
    }

    /// <summary>The slug of the revert of <paramref name="version"/>: <c>revert_</c> and its own slug, cut to the length <c>new</c> allows.</summary>
    public static string RevertSlug(string version)
    {
        var slug = "revert_" + version[15..^4];
        return slug.Length > MigrationName.MaxNewSlugLength ? slug[..MigrationName.MaxNewSlugLength].TrimEnd('_') : slug;
    }

    /// <summary>
    /// The text of the forward migration that reverts <paramref name="reverted"/>
    /// (<c>rollback --as-migration</c>): its up is the rollback SQL stored when the migration was
    /// applied, its down the migration's original up, and its header names what it reverts.
    /// </summary>
    public static string RevertText(MigrationFile reverted, string storedRollbackSql, string? reason, DateTime utcNow)
    {
        var why = string.IsNullOrWhiteSpace(reason) ? "undone as a forward migration" : string.Join(' ', reason.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        var upOptions = SqlSplitter.Split(storedRollbackSql).Statements.Any(s => s.Facts.IsTransactionControl) ? " transaction:false" : "";
        return $"""
            -- Revert {reverted.Version}: {why}
            -- strata:reverts {reverted.Version}
            -- Written by 'strata rollback --as-migration' at {utcNow:yyyy-MM-dd HH:mm:ss}Z. Up is the rollback SQL stored when
            -- {reverted.Version} was applied; down is its original up, so rolling this migration back applies it again.

            -- migrate:up{upOptions}
            {storedRollbackSql.Trim()}

            -- migrate:down{MarkerOptions(reverted.Up.Options)}
            {reverted.Up.Text.Trim()}

            """;
    }

    private static string MarkerOptions(SectionOptions options) =>
        (options.Transaction is { } transaction ? $" transaction:{(transaction ? "true" : "false")}" : "") +
        (options.LockTimeout is { } lockTimeout ? $" lock_timeout:{lockTimeout}" : "") +
        (options.StatementTimeout is { } statementTimeout ? $" statement_timeout:{statementTimeout}" : "");

    /// <summary>The text of a new, empty migration.</summary>
    public static string Text(string description) => $"""
        -- {description}
        -- (why: link the issue or PR; affected tables; breaking changes)

        -- migrate:up


        -- migrate:down


        """;
}
