using Strata.Database;
using Strata.Tests.Support;

namespace Strata.Tests.Database;

public class ConnectionTargetTests
{
    [Fact]
    public void A_postgresql_url_becomes_a_connection_string_and_a_display_without_password()
    {
        var target = ConnectionTarget.Parse("postgresql://app:s3cr%40t-Pass@db.example.com:6543/wheels?sslmode=require&application_name=deploy", "--url");

        target.Display.Should().Be("postgresql://app@db.example.com:6543/wheels");
        target.ConnectionString.Should().Contain("Host=db.example.com").And.Contain("Port=6543").And.Contain("Database=wheels")
            .And.Contain("SSL Mode=Require").And.Contain("Application Name=deploy").And.Contain("Password=s3cr@t-Pass");
    }

    [Fact]
    public void Key_value_strings_are_accepted()
    {
        var target = ConnectionTarget.Parse("Host=localhost;Port=5433;Database=app;Username=me;Password=hunter22", "--url");

        target.Display.Should().Be("postgresql://me@localhost:5433/app");
    }

    [Theory]
    [InlineData("postgresql://u:pw@host:notaport/db")]
    [InlineData("postgresql://u:pw@host:5432/db?sslmode=sometimes")]
    [InlineData("postgresql://u:pw@host:5432/db?frobnicate=1")]
    [InlineData("postgresql://u:pw@host:5432/db%zz")]
    [InlineData("this is not a connection string")]
    [InlineData("postgresql://u:pw@:5432/db")]
    public void Malformed_targets_are_bad_input_without_the_password(string text)
    {
        var act = () => ConnectionTarget.Parse(text, "--url");

        var problem = act.Should().Throw<StrataException>().Which.Problem;
        problem.Kind.Should().Be(ProblemKind.BadInput);
        problem.ToString().Should().NotContain(":pw@");
    }

    [Theory]
    [InlineData("failed for postgresql://user:TopSecret99@host/db", "failed for postgresql://user:********@host/db")]
    [InlineData("Host=h;Password=TopSecret99;Database=d", "Host=h;Password=********;Database=d")]
    public void Passwords_are_redacted_by_shape(string text, string expected) =>
        Redactor.ShapesOnly.Redact(text).Should().Be(expected);

    [Fact]
    public void A_target_s_password_is_redacted_wherever_it_appears_by_its_own_redactor_only()
    {
        var target = ConnectionTarget.Parse("postgresql://u:Registered-Secret-123@h/db", "--url");

        target.Redactor.Redact("server said: Registered-Secret-123 is wrong").Should().Be("server said: ******** is wrong");
        Redactor.ShapesOnly.Redact("server said: Registered-Secret-123 is wrong").Should().Contain("Registered-Secret-123",
            "secrets are not a process-wide list: another project's redactor does not know them");
    }

    private const string Canary = PostgresServer.CanaryPassword;

    [Theory]
    [InlineData($"mysql://app:{Canary}@db.example.com/app", "mysql")]
    [InlineData($"postgresq://app:{Canary}@db.example.com/app", "postgresq")]
    [InlineData($"jdbc:postgresql://app:{Canary}@db.example.com/app", "jdbc:postgresql")]
    [InlineData($"http://app:{Canary}@db.example.com/app", "http")]
    [InlineData($"MySQL://{Canary}@db.example.com/app", "MySQL")]
    public void Another_scheme_is_refused_naming_the_accepted_ones_without_the_user_info(string text, string scheme)
    {
        var problem = ParseProblem(text);

        problem.Code.Should().Be("bad-connection-string");
        problem.Kind.Should().Be(ProblemKind.BadInput);
        problem.Message.Should().Contain($"not {scheme}://").And.Contain("postgresql://").And.Contain("@db.example.com/app");
        problem.ToString().Should().NotContain(Canary).And.NotContain("app:");
    }

    [Fact]
    public void A_jdbc_url_is_told_to_drop_the_prefix() =>
        ParseProblem($"jdbc:postgresql://app:{Canary}@db/app").Hint.Should().Contain("Drop the 'jdbc:' prefix");

    [Fact]
    public void An_unencoded_at_in_the_password_splits_the_user_info_at_the_last_at()
    {
        var target = ConnectionTarget.Parse($"postgresql://app:p@ss-{Canary}@db.example.com:6543/app", "--url");

        target.Display.Should().Be("postgresql://app@db.example.com:6543/app");
        target.ConnectionString.Should().Contain($"Password=p@ss-{Canary}").And.Contain("Host=db.example.com");
    }

    [Theory]
    [InlineData($"postgresql://app:p@ss-{Canary}@db.example.com:notaport/app")]
    [InlineData($"postgresql://app:p@ss-{Canary}@db.example.com/app?sslmode=sometimes")]
    [InlineData($"postgresql://app:p@ss-{Canary}@db.example.com/app?frobnicate=1")]
    public void An_unencoded_at_in_the_password_is_not_echoed_in_any_error(string text) =>
        ParseProblem(text).ToString().Should().NotContain("ss-").And.NotContain(Canary).And.Contain("'postgresql://********@db.example.com");

    [Theory]
    [InlineData($"postgresql://app:Frag/Frag-{Canary}@db.example.com/app")]
    [InlineData($"postgresql://app:4321/Frag-{Canary}@db.example.com/app")]
    [InlineData($"postgresql://app:Frag?Frag-{Canary}@db.example.com/app")]
    [InlineData($"postgresql://app:Frag@Frag/Frag-{Canary}@db.example.com/app")]
    public void An_at_after_the_host_is_refused_without_any_piece_of_the_password(string text)
    {
        var problem = ParseProblem(text);

        problem.Message.Should().Contain("'postgresql://********@db.example.com/app'").And.Contain("an '@' after the host");
        problem.Hint.Should().Contain("%40").And.Contain("%2F");
        problem.ToString().Should().NotContain("Frag").And.NotContain("4321").And.NotContain(Canary);
    }

    [Theory]
    [InlineData($"postgresql://app@db/app?password=Frag&{Canary}=1")]
    [InlineData($"postgresql://app@db/app?password=Frag&sslmode={Canary}")]
    [InlineData($"postgresql://app@db/app?sslpassword=Frag&{Canary}")]
    public void After_a_password_parameter_no_key_or_value_is_named(string text) =>
        ParseProblem(text).ToString().Should().NotContain(Canary).And.NotContain("Frag");

    [Theory]
    [InlineData($"Host=db;Password='a;b-{Canary}")]
    [InlineData($"Host=db;Password=\"a;b-{Canary}")]
    [InlineData($"Host=db;Password=a;b-{Canary}")]
    [InlineData($"Host=db;Password=a b-{Canary};Port=x")]
    [InlineData($"Host=db;sslpassword={Canary};Bogus=1")]
    [InlineData($"Host=db;SSL Password={Canary};Bogus=1")]
    [InlineData($"Host=db;PSW={Canary};Bogus=1")]
    [InlineData($"Host=db;PWD='{Canary}''x';Bogus=1")]
    public void Key_value_strings_with_odd_quoting_are_refused_without_any_piece_of_the_password(string text)
    {
        var problem = ParseProblem(text);

        problem.Code.Should().Be("bad-connection-string");
        problem.ToString().Should().Contain("'Host=db;").And.NotContain(Canary).And.NotContain("b-");
    }

    [Fact]
    public void A_key_value_ssl_password_is_redacted_by_value()
    {
        var target = ConnectionTarget.Parse($"Host=db;SSL Password={Canary}", "--url");

        target.Redactor.Redact($"the key said {Canary}").Should().Be("the key said ********");
    }

    [Fact]
    public void A_socket_folder_is_shown_in_libpq_form_and_read_back()
    {
        var target = ConnectionTarget.Parse("Host=/work/my app/.strata/run;Port=54321;Username=postgres;Database=strata_dev", "--url");

        target.Display.Should().Be("postgresql://postgres@/strata_dev?host=/work/my%20app/.strata/run&port=54321");
        var again = ConnectionTarget.Parse(target.Display, "--url");
        again.Display.Should().Be(target.Display);
        again.ConnectionString.Should().Contain("Host=\"/work/my app/.strata/run\"").And.Contain("Port=54321");
    }

    private static Problem ParseProblem(string text)
    {
        var act = () => ConnectionTarget.Parse(text, "--url");
        return act.Should().Throw<StrataException>().Which.Problem;
    }
}
