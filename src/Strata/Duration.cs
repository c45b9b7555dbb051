using System.Globalization;

namespace Strata;

/// <summary>
/// A length of time written the way PostgreSQL writes time settings: a number and a unit
/// (<c>500ms</c>, <c>10s</c>, <c>2min</c>, <c>1h</c>, <c>1d</c>; also <c>us</c>). The one
/// reading of durations for strata.toml, marker options and command-line flags.
/// </summary>
/// <remarks>
/// A bare number is refused: PostgreSQL reads <c>lock_timeout = 10</c> as milliseconds while
/// people mean seconds, so guessing either way would be wrong half the time.
/// </remarks>
public readonly record struct Duration : IComparable<Duration>
{
    private static readonly (string Unit, long Ticks)[] Units =
    [
        ("d", TimeSpan.TicksPerDay), ("h", TimeSpan.TicksPerHour), ("min", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond), ("ms", TimeSpan.TicksPerMillisecond), ("us", TimeSpan.TicksPerMicrosecond),
    ];

    private Duration(TimeSpan value) => Value = value;

    /// <summary>The length of time.</summary>
    public TimeSpan Value { get; }

    /// <summary>A duration of <paramref name="value"/>; negative values are refused.</summary>
    public static Duration From(TimeSpan value) =>
        value >= TimeSpan.Zero ? new Duration(value) : throw new ArgumentOutOfRangeException(nameof(value), "a duration is never negative");

    /// <summary>Whole seconds.</summary>
    public static Duration FromSeconds(int seconds) => From(TimeSpan.FromSeconds(seconds));

    /// <summary>Whole minutes.</summary>
    public static Duration FromMinutes(int minutes) => From(TimeSpan.FromMinutes(minutes));

    /// <summary>Reads <c>10s</c>, <c>1.5h</c>, <c>500ms</c>; on failure says why in <paramref name="error"/>.</summary>
    public static bool TryParse(string? text, out Duration duration, out string error)
    {
        duration = default;
        text = text?.Trim() ?? "";
        var digits = 0;
        while (digits < text.Length && (char.IsAsciiDigit(text[digits]) || text[digits] == '.')) digits++;
        if (digits == 0 || digits > 18 || !decimal.TryParse(text.AsSpan(0, digits), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            error = $"'{text}' is not a duration";
            return false;
        }
        var unit = text[digits..];
        if (unit.Length == 0)
        {
            error = $"'{text}' has no unit";
            return false;
        }
        foreach (var (name, ticks) in Units)
        {
            if (unit != name) continue;
            var total = number * ticks;
            if (total > TimeSpan.MaxValue.Ticks)
            {
                error = $"'{text}' is too long";
                return false;
            }
            duration = new Duration(TimeSpan.FromTicks((long)total));
            error = "";
            return true;
        }
        // "30m" is the spelling of other tools (Go, systemd) that PostgreSQL does not read; say which one it does.
        error = unit == "m" ? $"'{text}' has an unknown unit 'm' (minutes are written min: {text[..digits]}min)" : $"'{text}' has an unknown unit '{unit}'";
        return false;
    }

    /// <summary>Reads a duration or throws the bad-input problem naming <paramref name="what"/> (a flag or setting).</summary>
    public static Duration Parse(string text, string what) =>
        TryParse(text, out var duration, out var error) ? duration : throw new StrataException(Problems.BadDuration(what, error));

    /// <summary>What to tell someone who wrote a bad duration.</summary>
    public const string Help = "Use a number and a unit: 500ms, 10s, 2min, 1h or 1d.";

    /// <summary>The shortest exact PostgreSQL spelling: <c>10s</c>, <c>1500ms</c>, <c>30min</c>.</summary>
    public override string ToString()
    {
        var ticks = Value.Ticks;
        if (ticks == 0) return "0s";
        foreach (var (name, unitTicks) in Units)
            if (ticks % unitTicks == 0) return (ticks / unitTicks).ToString(CultureInfo.InvariantCulture) + name;
        return (ticks / (decimal)TimeSpan.TicksPerMicrosecond).ToString(CultureInfo.InvariantCulture) + "us";
    }

    /// <inheritdoc/>
    public int CompareTo(Duration other) => Value.CompareTo(other.Value);

    private static class Problems
    {
        public static Problem BadDuration(string what, string error) =>
            new(ProblemKind.BadInput, "bad-duration", $"{what}: {error}.", Hint: Help);
    }
}
