namespace Strata.Deploying;

/// <summary>The gates a deploy can be told to pass with <c>--override GATE --reason TEXT</c>.</summary>
public static class DeployGates
{
    /// <summary>Lint errors in the files to deploy.</summary>
    public const string Lint = "lint";

    /// <summary>The required environment has not had the migration for the soak time.</summary>
    public const string Soak = "soak";

    /// <summary>The file differs from what the required environment applied, or that environment never applied it.</summary>
    public const string Checksum = "checksum";

    /// <summary>Outside the deployment window, or inside a deny period.</summary>
    public const string Window = "window";

    /// <summary>Every gate <c>--override</c> accepts. Confirmation is not one: that is <c>--yes</c>.</summary>
    public static readonly IReadOnlyList<string> All = [Lint, Soak, Checksum, Window];
}

/// <summary>What <c>deploy --env E</c> was asked to do.</summary>
public sealed class DeployOptions
{
    /// <summary>Deploy up to and including this version; null for every pending migration.</summary>
    public string? To { get; init; }

    /// <summary>Confirmed in advance: no prompt.</summary>
    public bool Yes { get; init; }

    /// <summary>Run every gate and show the plan; back up, apply and smoke-test nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Gates to pass although they refuse (<see cref="DeployGates"/>); each needs <see cref="Reason"/>.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Why the overrides are right; recorded with them.</summary>
    public string? Reason { get; init; }

    /// <summary>The current time; tests give another to check soak and windows. Default: the system clock, UTC.</summary>
    public Func<DateTimeOffset> Clock { get; init; } = () => DateTimeOffset.UtcNow;

    /// <summary>
    /// Asks a person to confirm (the CLI's prompt, when it has a terminal); null when nobody can
    /// answer, and then only <see cref="Yes"/> lets a deploy that needs confirmation go ahead.
    /// </summary>
    public Func<DeployConfirmation, bool>? Confirm { get; init; }

    /// <summary>Where to write the Markdown report; null for none.</summary>
    public string? ReportPath { get; init; }
}

/// <summary>What a person is asked to confirm: the environment and the migrations about to be applied to it.</summary>
/// <param name="Environment">The environment's name.</param>
/// <param name="Target">Its database, password-free.</param>
/// <param name="Versions">The migrations, in order.</param>
public sealed record DeployConfirmation(string Environment, string Target, IReadOnlyList<string> Versions);
