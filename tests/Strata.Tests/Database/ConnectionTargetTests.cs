using Strata.Database;

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
}
