using System.Diagnostics.CodeAnalysis;

namespace Strata.Deploying;

/// <summary>What kind of backup a deploy takes before it applies anything.</summary>
public enum BackupKind
{
    /// <summary><c>backup = "pg_dump"</c>: Strata runs pg_dump against the target.</summary>
    PgDump,
    /// <summary><c>backup = "none"</c>: no backup, chosen on purpose.</summary>
    None,
    /// <summary><c>backup = "command: ..."</c>: a shell command of the team's own (a snapshot API, a managed backup).</summary>
    Command,
}

/// <summary>An environment's <c>backup</c> key, read.</summary>
/// <param name="Kind">pg_dump, none or a command.</param>
/// <param name="Command">The shell command when <paramref name="Kind"/> is <see cref="BackupKind.Command"/>, else null.</param>
public sealed record BackupPlan(BackupKind Kind, string? Command = null)
{
    private const string CommandPrefix = "command:";

    /// <summary>What to tell someone who wrote another value.</summary>
    public const string Form = "Write \"pg_dump\" (Strata dumps the database first), \"command: <shell command>\" (your own backup, e.g. \"command: ./scripts/snapshot.sh\") or \"none\" (no backup).";

    /// <summary>Reads <c>pg_dump</c>, <c>none</c> or <c>command: ...</c>; on failure says why in <paramref name="error"/>.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out BackupPlan? plan, out string error)
    {
        plan = null;
        error = "";
        text ??= "";
        // Lower case only, like every other choice in strata.toml: one spelling per meaning.
        if (text == "pg_dump") plan = new BackupPlan(BackupKind.PgDump);
        else if (text == "none") plan = new BackupPlan(BackupKind.None);
        else if (text.StartsWith(CommandPrefix, StringComparison.Ordinal))
        {
            var command = text[CommandPrefix.Length..].Trim();
            if (command.Length == 0) error = "\"command:\" names no command";
            else plan = new BackupPlan(BackupKind.Command, command);
        }
        else error = $"\"{text}\" is not a backup";
        return plan is not null;
    }

    /// <summary>As written in strata.toml.</summary>
    public override string ToString() => Kind switch
    {
        BackupKind.PgDump => "pg_dump",
        BackupKind.None => "none",
        _ => CommandPrefix + " " + Command,
    };
}

/// <summary>What a deploy does when its smoke command fails (<c>on_smoke_failure</c>).</summary>
public enum SmokeFailureAction
{
    /// <summary><c>"stop"</c>, the default: the deploy fails and the migrations stay applied for a person to judge.</summary>
    Stop,
    /// <summary><c>"rollback"</c>: the deploy rolls back the migrations it applied, then fails.</summary>
    Rollback,
}
