using Strata.Deploying;

namespace Strata.Tests.Deploying;

/// <summary>The one reading of "DAYS HH:MM-HH:MM", shared by strata.toml and the deploy gate.</summary>
public class WindowEntryTests
{
    private static WindowEntry Parse(string text)
    {
        WindowEntry.TryParse(text, out var entry, out var error).Should().BeTrue(error);
        return entry!;
    }

    [Theory]
    [InlineData("Sun 02:00-04:00", new[] { DayOfWeek.Sunday }, "02:00", "04:00")]
    [InlineData("mon-THU 02:00-04:00", new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday }, "02:00", "04:00")]
    [InlineData("Fri-Mon 10:00-12:30", new[] { DayOfWeek.Monday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday }, "10:00", "12:30")]
    [InlineData("Sat,Sun 00:00-24:00", new[] { DayOfWeek.Saturday, DayOfWeek.Sunday }, "00:00", "1.00:00")]
    [InlineData("Mon-Wed,Fri 22:00-23:59", new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Friday }, "22:00", "23:59")]
    [InlineData("Sun-Sat 00:00-24:00", new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday }, "00:00", "1.00:00")]
    [InlineData("  Tue   09:00-17:00 ", new[] { DayOfWeek.Tuesday }, "09:00", "17:00")]
    public void Days_ranges_and_lists_are_read(string text, DayOfWeek[] days, string start, string end)
    {
        var entry = Parse(text);

        entry.Days.Should().Equal(days);
        (entry.Start, entry.End).Should().Be((TimeSpan.Parse(start), TimeSpan.Parse(end)));
        entry.Text.Should().Be(text, "messages quote the entry as written");
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("Sun", "no times after the days")]
    [InlineData("02:00-04:00", "no days before the times")]
    [InlineData("Sunday 02:00-04:00", "'Sunday' is not a day; write days with three letters")]
    [InlineData("Son 02:00-04:00", "'Son' is not a day")]
    [InlineData("Mon-Mon 02:00-04:00", "'Mon-Mon' starts and ends on the same day; write Mon for one day or Mon-Sun for every day")]
    [InlineData("Mon-Tue-Wed 02:00-04:00", "'Mon-Tue-Wed' is not a day range")]
    [InlineData("Sat, 02:00-04:00", "empty place in its list")]
    [InlineData("Sat, Sun 02:00-04:00", "spaces inside the days or the times")]
    [InlineData("Sun 02:00 - 04:00", "spaces inside the days or the times")]
    [InlineData("Sun 02:00-04:00 UTC", "remove \"UTC\"")]
    [InlineData("Sun 02:00", "'02:00' has no end")]
    [InlineData("Sun 02:00-04:00-06:00", "not a time range")]
    [InlineData("Sun 2:00-4:00", "'2:00' has a one-digit hour; write 02:00")]
    [InlineData("Sun 2am-4am", "'2am' is not a time")]
    [InlineData("Sun 02:00:00-04:00:00", "'02:00:00' is not a time")]
    [InlineData("Sun 25:00-26:00", "'25:00' is not a time of day; times run from 00:00 to 24:00")]
    [InlineData("Sun 02:00-24:30", "'24:30' is not a time of day")]
    [InlineData("Sun 02:60-04:00", "'02:60' is not a time of day")]
    [InlineData("Sun 24:00-24:00", "24:00 can only end a window")]
    [InlineData("Sun 04:00-04:00", "never open")]
    [InlineData("Sun 22:00-00:00", "write 24:00 for midnight at the end of the day: \"Sun 22:00-24:00\"")]
    [InlineData("Sat-Sun 23:00-01:00", "two entries: \"Sat-Sun 23:00-24:00\", \"Sun-Mon 00:00-01:00\"")]
    public void Malformed_entries_say_what_is_wrong(string text, string error)
    {
        WindowEntry.TryParse(text, out var entry, out var message).Should().BeFalse();

        entry.Should().BeNull();
        message.Should().Contain(error);
    }

    [Fact]
    public void An_entry_contains_its_start_but_not_its_end()
    {
        var entry = Parse("Sun 02:00-04:00");
        var sunday = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);

        entry.Contains(sunday.AddHours(2)).Should().BeTrue();
        entry.Contains(sunday.AddHours(4).AddTicks(-1)).Should().BeTrue();
        entry.Contains(sunday.AddHours(4)).Should().BeFalse();
        entry.Contains(sunday.AddHours(2).AddTicks(-1)).Should().BeFalse();
        entry.Contains(sunday.AddDays(1).AddHours(3)).Should().BeFalse("Monday is not one of its days");
    }

    [Fact]
    public void The_instant_is_read_in_utc_whatever_its_offset()
    {
        var entry = Parse("Sun 02:00-04:00");

        entry.Contains(new DateTimeOffset(2026, 11, 29, 3, 30, 0, TimeSpan.FromHours(1))).Should().BeTrue("03:30+01:00 is 02:30 UTC");
        entry.Contains(new DateTimeOffset(2026, 11, 28, 21, 0, 0, TimeSpan.FromHours(-5))).Should().BeTrue("Saturday 21:00-05:00 is Sunday 02:00 UTC");
    }
}
