using System.Globalization;

namespace Strata.Deploying;

/// <summary>
/// When an environment may be deployed to: inside at least one <c>window</c> entry (any time when
/// there is none) and inside no <c>deny</c> entry. A pure function of the instant it is asked
/// about: the caller passes the clock, so a test can stand at any moment of any week.
/// </summary>
public sealed class DeployWindow
{
    // Every entry repeats weekly, so the first moment the answer changes after any instant lies
    // within the next seven days; eight days of candidates also cover an entry that ends at
    // 24:00 on the same weekday a week later.
    private const int HorizonDays = 8;

    /// <summary>No window and no deny: a deploy may start at any time.</summary>
    public static readonly DeployWindow Always = new([], []);

    /// <summary>A window list (empty: any time) and a deny list that overrides it.</summary>
    public DeployWindow(IReadOnlyList<WindowEntry> windows, IReadOnlyList<WindowEntry> deny)
    {
        Windows = windows;
        Deny = deny;
    }

    /// <summary>The <c>window</c> entries; empty when the key is not set.</summary>
    public IReadOnlyList<WindowEntry> Windows { get; }

    /// <summary>The <c>deny</c> entries; empty when the key is not set.</summary>
    public IReadOnlyList<WindowEntry> Deny { get; }

    /// <summary>Whether a deploy may start at <paramref name="instant"/>, why, and when that changes.</summary>
    public WindowDecision Check(DateTimeOffset instant)
    {
        var window = Windows.FirstOrDefault(w => w.Contains(instant));
        var deny = Deny.FirstOrDefault(d => d.Contains(instant));
        var inWindow = Windows.Count == 0 || window is not null;
        if (inWindow && deny is null)
        {
            var closes = FirstChange(instant, allowed: false);
            var reason = window is null ? "no deployment window is configured" : $"inside the deployment window {window.Text} UTC";
            return new WindowDecision(true, window, null, null, closes, closes is null ? reason : $"{reason}, open until {Format(closes.Value)}");
        }
        var opens = FirstChange(instant, allowed: true);
        var why = inWindow
            ? $"inside the deny entry {deny!.Text} UTC"
            : $"outside the deployment window ({string.Join(", ", Windows.Select(w => w.Text))} UTC)";
        var next = (opens, Windows.Count) switch
        {
            (null, 0) => "; deploys are never allowed: the deny entries cover the whole week",
            (null, _) => "; no window ever opens: every moment of the windows is inside a deny entry",
            (_, 0) => $"; deploys are allowed again from {Format(opens.Value)}",
            _ => $"; the next window opens {Format(opens.Value)}",
        };
        return new WindowDecision(false, window, deny, opens, null, why + next);
    }

    private bool IsAllowed(DateTimeOffset instant) =>
        (Windows.Count == 0 || Windows.Any(w => w.Contains(instant))) && !Deny.Any(d => d.Contains(instant));

    // The answer only changes at an entry's edge: it can turn to allowed where a window opens or a
    // deny ends, and to refused where a window closes or a deny begins. The earliest edge after
    // the instant with the wanted answer is the moment sought; none means it never comes.
    private DateTimeOffset? FirstChange(DateTimeOffset instant, bool allowed)
    {
        var utc = instant.ToUniversalTime();
        var midnight = new DateTimeOffset(utc.UtcDateTime.Date, TimeSpan.Zero);
        DateTimeOffset? first = null;
        for (var offset = 0; offset < HorizonDays; offset++)
        {
            var day = midnight.AddDays(offset);
            var opening = allowed ? Windows.Select(w => (w, w.Start)).Concat(Deny.Select(d => (d, d.End)))
                                  : Windows.Select(w => (w, w.End)).Concat(Deny.Select(d => (d, d.Start)));
            foreach (var (entry, time) in opening)
            {
                if (!entry.IsOn(day.DayOfWeek)) continue;
                var candidate = day + time;
                if (candidate > utc && (first is null || candidate < first) && IsAllowed(candidate) == allowed) first = candidate;
            }
            if (first is not null) return first;
        }
        return null;
    }

    /// <summary>"Sun 2026-11-29 02:00 UTC": the weekday first, as the entries are written.</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("ddd yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}

/// <summary>The answer of <see cref="DeployWindow.Check"/> for one instant.</summary>
/// <param name="Allowed">Whether a deploy may start now.</param>
/// <param name="Window">The window entry the instant is in (the first listed when several are), or null when outside every window or none is configured.</param>
/// <param name="Deny">The deny entry the instant is in (the first listed), or null.</param>
/// <param name="NextOpening">When refused: the first later moment a deploy may start, or null when no window ever opens.</param>
/// <param name="OpenUntil">When allowed: the first later moment it is refused, or null when it never is.</param>
/// <param name="Reason">One clause for a message: "outside the deployment window (Sun 02:00-04:00 UTC); the next window opens Sun 2026-11-29 02:00 UTC".</param>
public sealed record WindowDecision(
    bool Allowed,
    WindowEntry? Window,
    WindowEntry? Deny,
    DateTimeOffset? NextOpening,
    DateTimeOffset? OpenUntil,
    string Reason);
