using Microsoft.Extensions.Logging;
using Strata.Database;
using Strata.Project;
using Strata.Tests.Support;

namespace Strata.Tests.Database;

/// <summary>A target with a password, formatted every way a program formats things: none shows the password.</summary>
public class ConnectionTargetRedactionTests
{
    private const string Canary = PostgresServer.CanaryPassword;

    public static TheoryData<string> Targets => new()
    {
        $"postgresql://app:{Uri.EscapeDataString(Canary)}@db.example.com:5432/app?sslmode=require",
        $"Host=db.example.com;Port=5432;Database=app;Username=app;Password={Canary}",
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void ToString_and_interpolation_show_the_display_form(string text)
    {
        var target = ConnectionTarget.Parse(text, "--url");

        target.ToString().Should().Be("postgresql://app@db.example.com:5432/app");
        $"target {target}".Should().NotContain(Canary).And.NotContain(Uri.EscapeDataString(Canary));
        string.Format("{0}", target).Should().NotContain(Canary);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_logger_given_the_target_never_sees_the_password(string text)
    {
        var target = ConnectionTarget.Parse(text, "--url");
        var logger = new RecordingLogger();

        logger.LogInformation("migrating {Target} from {Source}", target, target.Source);
        logger.LogWarning("{@Target} structured", target);

        logger.Lines.Should().NotBeEmpty().And.OnlyContain(line => !line.Contains(Canary) && !line.Contains(Uri.EscapeDataString(Canary)));
        logger.Lines.Should().Contain(line => line.Contains("postgresql://app@db.example.com:5432/app"));
    }

    [Fact]
    public void The_connection_string_is_not_public_so_no_serializer_or_destructuring_logger_can_read_it()
    {
        typeof(ConnectionTarget).GetProperties().Select(p => p.Name).Should().NotContain("ConnectionString").And.NotContain("Redactor");
        typeof(ConnectionTarget).GetMethods().Select(m => m.Name).Should().NotContain("Deconstruct");
    }

    [Fact]
    public void Project_options_holding_a_url_do_not_print_it()
    {
        var options = new ProjectOptions { Url = $"postgresql://app:{Canary}@db/app" };

        options.ToString().Should().NotContain(Canary).And.Contain("(set)");
    }

    /// <summary>Formats each entry as Microsoft.Extensions.Logging providers do: the message, and every structured value.</summary>
    private sealed class RecordingLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Lines.Add(formatter(state, exception));
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values) Lines.Add($"{key}={value}");
        }
    }
}
