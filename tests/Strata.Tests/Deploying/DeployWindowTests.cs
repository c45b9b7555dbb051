using Strata.Deploying;

namespace Strata.Tests.Deploying;

/// <summary>The deploy gate's clock: inside a window and no deny, why, and when that changes. Week of Sun 2026-11-29.</summary>
public class DeployWindowTests
{
    private static readonly string[] DesignWindows = ["Sun 02:00-04:00", "Mon-Thu 02:00-04:00"];

    private static DeployWindow Window(string[] windows, params string[] deny) => new(windows.Select(Entry).ToList(), deny.Select(Entry).ToList());

    private static WindowEntry Entry(string text)
    {
        WindowEntry.TryParse(text, out var entry, out var error).Should().BeTrue(error);
        return entry!;
    }

    // Day 23 of November 2026 is a Monday, so the day of the month gives the weekday: 27 Fri, 29 Sun, 30 Mon.
    private static DateTimeOffset At(int day, int hour, int minute = 0) =>
        new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day - 1).AddHours(hour).AddMinutes(minute);

    [Fact]
    public void Inside_a_window_a_deploy_may_start_until_it_closes()
    {
        var decision = Window(DesignWindows).Check(At(24, 3));

        decision.Allowed.Should().BeTrue();
        decision.Window!.Text.Should().Be("Mon-Thu 02:00-04:00");
        decision.OpenUntil.Should().Be(At(24, 4));
        decision.Reason.Should().Be("inside the deployment window Mon-Thu 02:00-04:00 UTC, open until Tue 2026-11-24 04:00 UTC");
    }

    [Fact]
    public void Outside_every_window_the_refusal_names_them_and_the_next_opening()
    {
        var decision = Window(DesignWindows).Check(At(27, 10));

        decision.Allowed.Should().BeFalse();
        decision.Window.Should().BeNull();
        decision.NextOpening.Should().Be(At(29, 2));
        decision.Reason.Should().Be("outside the deployment window (Sun 02:00-04:00, Mon-Thu 02:00-04:00 UTC); the next window opens Sun 2026-11-29 02:00 UTC");
    }

    [Fact]
    public void The_next_opening_after_the_last_window_of_the_week_is_a_week_later()
    {
        var window = Window(["Sun 02:00-04:00"]);

        window.Check(At(29, 4)).NextOpening.Should().Be(At(29, 2).AddDays(7), "04:00 is the end, outside the window");
        window.Check(At(29, 1, 59)).NextOpening.Should().Be(At(29, 2), "the same day's window is still ahead");
    }

    [Fact]
    public void A_day_range_wraps_past_sunday()
    {
        var window = Window(["Fri-Mon 10:00-12:00"]);

        window.Check(At(28, 11)).Allowed.Should().BeTrue("Saturday is inside Fri-Mon");
        window.Check(At(30, 11)).Allowed.Should().BeTrue("Monday is its last day");
        var tuesday = window.Check(At(24, 11));
        tuesday.Allowed.Should().BeFalse();
        tuesday.NextOpening.Should().Be(At(27, 10));
    }

    [Fact]
    public void A_deny_overrides_a_window()
    {
        var decision = Window(["Mon-Fri 00:00-24:00"], "Fri 16:00-24:00").Check(At(27, 17));

        decision.Allowed.Should().BeFalse();
        decision.Window!.Text.Should().Be("Mon-Fri 00:00-24:00");
        decision.Deny!.Text.Should().Be("Fri 16:00-24:00");
        decision.NextOpening.Should().Be(At(30, 0), "Saturday and Sunday have no window");
        decision.Reason.Should().Be("inside the deny entry Fri 16:00-24:00 UTC; the next window opens Mon 2026-11-30 00:00 UTC");
    }

    [Fact]
    public void A_window_ending_at_24_00_is_open_to_the_last_instant_of_the_day()
    {
        var window = Window(["Sat 22:00-24:00"]);

        window.Check(At(29, 0).AddTicks(-1)).Allowed.Should().BeTrue();
        window.Check(At(28, 23)).OpenUntil.Should().Be(At(29, 0));
        window.Check(At(29, 0)).Allowed.Should().BeFalse("Sunday 00:00 is the next day");
    }

    [Fact]
    public void Two_entries_across_midnight_stay_open_through_it()
    {
        var decision = Window(["Sat 22:00-24:00", "Sun 00:00-02:00"]).Check(At(28, 23));

        decision.OpenUntil.Should().Be(At(29, 2));
    }

    [Fact]
    public void A_deny_over_the_next_window_moves_the_opening_to_the_one_after()
    {
        var decision = Window(DesignWindows, "Sun 00:00-24:00").Check(At(27, 10));

        decision.NextOpening.Should().Be(At(30, 2), "Sunday's window is denied, Monday's is the next");
    }

    [Fact]
    public void A_deny_over_part_of_a_window_opens_it_when_the_deny_ends()
    {
        var window = Window(DesignWindows, "Mon 02:00-03:00");

        window.Check(At(29, 5)).NextOpening.Should().Be(At(30, 3));
        window.Check(At(29, 3)).OpenUntil.Should().Be(At(29, 4));
        window.Check(At(23, 2, 30)).NextOpening.Should().Be(At(23, 3), "Monday 02:30 is inside both the window and the deny");
    }

    [Fact]
    public void When_deny_covers_every_window_no_opening_is_promised()
    {
        var decision = Window(["Sun 02:00-04:00"], "Sat-Sun 00:00-24:00").Check(At(27, 10));

        decision.Allowed.Should().BeFalse();
        decision.NextOpening.Should().BeNull();
        decision.Reason.Should().EndWith("; no window ever opens: every moment of the windows is inside a deny entry");
    }

    [Fact]
    public void With_only_a_deny_every_other_moment_is_allowed()
    {
        var window = Window([], "Fri 16:00-24:00", "Sat,Sun 00:00-24:00");

        var thursday = window.Check(At(26, 12));
        thursday.Allowed.Should().BeTrue();
        thursday.Reason.Should().Be("no deployment window is configured, open until Fri 2026-11-27 16:00 UTC");
        var friday = window.Check(At(27, 18));
        friday.NextOpening.Should().Be(At(30, 0), "the Friday deny runs into the weekend's");
        friday.Reason.Should().Be("inside the deny entry Fri 16:00-24:00 UTC; deploys are allowed again from Mon 2026-11-30 00:00 UTC");
    }

    [Fact]
    public void Without_window_or_deny_a_deploy_may_always_start()
    {
        var decision = DeployWindow.Always.Check(At(27, 10));

        decision.Should().Be(new WindowDecision(true, null, null, null, null, "no deployment window is configured"));
    }

    [Fact]
    public void A_window_open_all_week_never_closes()
    {
        Window(["Mon-Sun 00:00-24:00"]).Check(At(27, 10)).OpenUntil.Should().BeNull();
    }

    [Fact]
    public void The_clock_is_read_in_utc_whatever_the_offset_of_the_instant()
    {
        var decision = Window(DesignWindows).Check(new DateTimeOffset(2026, 11, 28, 21, 30, 0, TimeSpan.FromHours(-5)));

        decision.Allowed.Should().BeTrue("Saturday 21:30-05:00 is Sunday 02:30 UTC");
        decision.OpenUntil!.Value.Offset.Should().Be(TimeSpan.Zero);
    }
}
