namespace Strata.Tests;

/// <summary>The one reading of durations, for strata.toml, marker options and flags.</summary>
public class DurationTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("2min", 120_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("250us", 0.25)]
    [InlineData(" 0s ", 0)]
    public void PostgreSQL_units_are_read(string text, double milliseconds)
    {
        Duration.TryParse(text, out var duration, out _).Should().BeTrue();
        duration.Value.TotalMilliseconds.Should().Be(milliseconds);
    }

    [Theory]
    [InlineData("10", "has no unit")]
    [InlineData("10 s", "unknown unit")]
    [InlineData("10sec", "unknown unit")]
    [InlineData("30m", "unknown unit 'm' (minutes are written min: 30min)")]
    [InlineData("10S", "unknown unit")]
    [InlineData("-5s", "not a duration")]
    [InlineData("", "not a duration")]
    [InlineData("soon", "not a duration")]
    [InlineData("1.2.3s", "not a duration")]
    [InlineData("99999999999999999999d", "not a duration")]
    [InlineData("9999999999d", "too long")]
    public void Near_misses_are_refused_with_the_reason(string text, string reason)
    {
        Duration.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Contain(reason);
    }

    [Fact]
    public void A_bad_flag_is_bad_input_naming_the_flag()
    {
        var problem = FluentActions.Invoking(() => Duration.Parse("10", "--lock-wait")).Should().Throw<StrataException>().Which.Problem;

        problem.Kind.Should().Be(ProblemKind.BadInput);
        problem.Message.Should().StartWith("--lock-wait: '10' has no unit");
        problem.Hint.Should().Contain("10s");
    }

    [Theory]
    [InlineData("10s", "10s")]
    [InlineData("1500ms", "1500ms")]
    [InlineData("1.5s", "1500ms")]
    [InlineData("60s", "1min")]
    [InlineData("0.5us", "0.5us")]
    [InlineData("0ms", "0s")]
    public void It_prints_as_the_shortest_exact_postgresql_spelling(string text, string printed) =>
        Duration.Parse(text, "x").ToString().Should().Be(printed);
}
