using System.Diagnostics.CodeAnalysis;

namespace Strata.Deploying;

/// <summary>
/// One entry of an environment's <c>window</c> or <c>deny</c> list: <c>"DAYS HH:MM-HH:MM"</c> in
/// UTC, e.g. <c>"Sun 02:00-04:00"</c>, <c>"Mon-Thu 22:00-24:00"</c>, <c>"Sat,Sun 00:00-24:00"</c>.
/// The one reading of these strings, for strata.toml and for the deploy gate alike.
/// </summary>
/// <remarks>
/// The form is deliberately narrow so that a reviewer reads every entry the same way: three-letter
/// English day names (any case), two-digit 24-hour times, and a start before the end on the same
/// day. A window across midnight is two entries (<c>"Fri 22:00-24:00", "Sat 00:00-02:00"</c>):
/// allowing <c>22:00-02:00</c> would leave open which day's list the early hours belong to.
/// A one-digit hour (<c>2:00</c>) is refused, not read as 02:00: it is the 12-hour clock's
/// habit, and someone who means 2 pm should be told rather than given a 2 am window.
/// </remarks>
public sealed class WindowEntry
{
    /// <summary>What to tell someone who wrote a malformed entry.</summary>
    public const string Form =
        "Write each entry as \"DAYS HH:MM-HH:MM\" in UTC on a 24-hour clock: DAYS is one day (Mon, Tue, Wed, Thu, Fri, Sat, Sun), " +
        "a range (Mon-Thu, or Fri-Mon across the weekend) or a list (Sat,Sun); times run from 00:00 to 24:00, " +
        "e.g. \"Sun 02:00-04:00\" or \"Mon-Thu 22:00-24:00\".";

    // Indexed by DayOfWeek (Sunday = 0), as DateTime reports days.
    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly TimeSpan EndOfDay = TimeSpan.FromHours(24);

    private readonly bool[] _onDay;

    private WindowEntry(string text, bool[] onDay, TimeSpan start, TimeSpan end)
    {
        Text = text;
        _onDay = onDay;
        Start = start;
        End = end;
    }

    /// <summary>The entry as written, for messages.</summary>
    public string Text { get; }

    /// <summary>The days it covers, Monday first.</summary>
    public IReadOnlyList<DayOfWeek> Days => [.. Enumerable.Range(1, 7).Select(d => (DayOfWeek)(d % 7)).Where(d => _onDay[(int)d])];

    /// <summary>Time of day (UTC) it opens, inclusive.</summary>
    public TimeSpan Start { get; }

    /// <summary>Time of day (UTC) it closes, exclusive; 24:00 (one day) for the end of the day.</summary>
    public TimeSpan End { get; }

    /// <summary>True when <paramref name="instant"/> falls on one of its days, at or after its start and before its end.</summary>
    public bool Contains(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return _onDay[(int)utc.DayOfWeek] && utc.TimeOfDay >= Start && utc.TimeOfDay < End;
    }

    /// <summary>Whether it covers <paramref name="day"/>.</summary>
    public bool IsOn(DayOfWeek day) => _onDay[(int)day];

    /// <inheritdoc/>
    public override string ToString() => Text;

    /// <summary>Reads one entry; on failure says what is wrong with it in <paramref name="error"/> (one clause, no entry text).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out WindowEntry? entry, out string error)
    {
        entry = null;
        text ??= "";
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) return Fail("it is empty", out error);
        if (parts.Length == 1)
            return Fail(parts[0].Contains(':') ? "it has no days before the times" : "it has no times after the days", out error);
        if (parts.Length > 2)
        {
            if (parts[^1].Equals("UTC", StringComparison.OrdinalIgnoreCase))
                return Fail("remove \"UTC\": windows are always read in UTC", out error);
            return Fail("it has spaces inside the days or the times; write days as Sat,Sun or Mon-Thu and times as 02:00-04:00, without spaces", out error);
        }
        if (!TryDays(parts[0], out var ranges, out error)) return false;
        var times = parts[1].Split('-');
        if (times.Length == 1) return Fail($"'{parts[1]}' has no end; write the start and the end as HH:MM-HH:MM, e.g. 02:00-04:00", out error);
        if (times.Length != 2) return Fail($"'{parts[1]}' is not a time range; write the start and the end as HH:MM-HH:MM, e.g. 02:00-04:00", out error);
        if (!TryTime(times[0], out var start, out error) || !TryTime(times[1], out var end, out error)) return false;
        if (start == EndOfDay) return Fail("24:00 can only end a window; a window from midnight starts at 00:00", out error);
        if (start >= end)
        {
            var days = Render(ranges, 0);
            if (end == TimeSpan.Zero) return Fail($"it ends at 00:00; write 24:00 for midnight at the end of the day: \"{days} {times[0]}-24:00\"", out error);
            if (start == end) return Fail($"it starts and ends at {times[0]}, so it is never open", out error);
            return Fail($"it starts at {times[0]}, after its end {times[1]}; the start must come before the end. " +
                        $"A window across midnight is written as two entries: \"{days} {times[0]}-24:00\", \"{Render(ranges, 1)} 00:00-{times[1]}\"", out error);
        }
        var onDay = new bool[7];
        foreach (var (from, to) in ranges)
            for (var day = from; ; day = (day + 1) % 7)
            {
                onDay[day] = true;
                if (day == to) break;
            }
        entry = new WindowEntry(text, onDay, start, end);
        return true;
    }

    // A day, a range (which may wrap past Sunday) or a comma list of either; kept as ranges so an
    // error can suggest the same days shifted by one.
    private static bool TryDays(string text, out List<(int From, int To)> ranges, out string error)
    {
        ranges = [];
        foreach (var item in text.Split(','))
        {
            if (item.Length == 0) return Fail($"'{text}' has an empty place in its list of days", out error);
            var ends = item.Split('-');
            if (ends.Length > 2) return Fail($"'{item}' is not a day range; write a range as Mon-Thu", out error);
            if (!TryDay(ends[0], out var from, out error)) return false;
            var to = from;
            if (ends.Length == 2)
            {
                if (!TryDay(ends[1], out to, out error)) return false;
                if (to == from) return Fail($"'{item}' starts and ends on the same day; write {DayNames[from]} for one day or Mon-Sun for every day", out error);
            }
            ranges.Add((from, to));
        }
        error = "";
        return true;
    }

    private static bool TryDay(string text, out int day, out string error)
    {
        day = Array.FindIndex(DayNames, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
        if (day >= 0)
        {
            error = "";
            return true;
        }
        return Fail($"'{text}' is not a day; write days with three letters: Mon, Tue, Wed, Thu, Fri, Sat, Sun", out error);
    }

    private static bool TryTime(string text, out TimeSpan time, out string error)
    {
        time = default;
        var digits = text.Length == 5 && text[2] == ':' && char.IsAsciiDigit(text[0]) && char.IsAsciiDigit(text[1]) && char.IsAsciiDigit(text[3]) && char.IsAsciiDigit(text[4]);
        if (!digits)
        {
            if (text.Length == 4 && text[1] == ':' && char.IsAsciiDigit(text[0]))
                return Fail($"'{text}' has a one-digit hour; write 0{text} (hours have two digits on the 24-hour clock)", out error);
            return Fail($"'{text}' is not a time; write HH:MM on the 24-hour clock, e.g. 02:00", out error);
        }
        var hours = (text[0] - '0') * 10 + (text[1] - '0');
        var minutes = (text[3] - '0') * 10 + (text[4] - '0');
        if (hours > 24 || minutes > 59 || (hours == 24 && minutes != 0))
            return Fail($"'{text}' is not a time of day; times run from 00:00 to 24:00", out error);
        time = new TimeSpan(hours, minutes, 0);
        error = "";
        return true;
    }

    private static string Render(List<(int From, int To)> ranges, int shift) =>
        string.Join(',', ranges.Select(r => r.From == r.To
            ? DayNames[(r.From + shift) % 7]
            : $"{DayNames[(r.From + shift) % 7]}-{DayNames[(r.To + shift) % 7]}"));

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
