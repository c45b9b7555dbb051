using Strata.Database;
using Strata.Tests.Support;

namespace Strata.Tests.Database;

/// <summary>The one redaction function: passwords masked by shape in free text, and in a whole connection string.</summary>
public class RedactorTests
{
    private const string Canary = PostgresServer.CanaryPassword;

    [Theory]
    [InlineData($"failed for mysql://user:{Canary}@host/db", "failed for mysql://user:********@host/db")]
    [InlineData($"failed for jdbc:postgresql://user:{Canary}@host/db", "failed for jdbc:postgresql://user:********@host/db")]
    [InlineData($"failed for postgresql://user:p@ss{Canary}@host/db now", "failed for postgresql://user:********@host/db now")]
    [InlineData($"Host=h;sslpassword={Canary};Database=d", "Host=h;sslpassword=********;Database=d")]
    [InlineData($"Host=h;PSW={Canary}", "Host=h;PSW=********")]
    [InlineData($"PGPASSWORD={Canary} psql", "PGPASSWORD=******** psql")]
    [InlineData($"Host=h;Password='a;b{Canary}';Database=d", "Host=h;Password=********;Database=d")]
    [InlineData($"Host=h;Password='a''b;{Canary}';Database=d", "Host=h;Password=********;Database=d")]
    [InlineData($"Host=h;Password='a;b {Canary}", "Host=h;Password=********")]
    [InlineData("postgresql://user@host:5432/db", "postgresql://user@host:5432/db")]
    public void Passwords_are_masked_by_shape_in_free_text(string text, string expected) =>
        Redactor.ShapesOnly.Redact(text).Should().Be(expected);

    [Theory]
    [InlineData("ALTER ROLE app PASSWORD 'Sql-secret-1'", "ALTER ROLE app PASSWORD '********'")]
    [InlineData("CREATE ROLE app LOGIN ENCRYPTED PASSWORD E'a''b-secret'", "CREATE ROLE app LOGIN ENCRYPTED PASSWORD '********'")]
    [InlineData("EXECUTE 'ALTER ROLE app PASSWORD ''Sql-secret-2''';", "EXECUTE 'ALTER ROLE app PASSWORD ''********''';")]
    [InlineData("EXECUTE 'ALTER ROLE app PASSWORD ''it''''s-secret''';", "EXECUTE 'ALTER ROLE app PASSWORD ''********''';")]
    public void A_role_password_literal_is_masked_also_inside_a_string(string text, string expected) =>
        Redactor.ShapesOnly.Redact(text).Should().Be(expected);

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        var once = Redactor.ShapesOnly.Redact(Redactor.MaskConnectionString($"Host=h;Password='a;b {Canary}"));

        $"'{once}' is bad".Should().Be($"'{Redactor.ShapesOnly.Redact(once)}' is bad");
        Redactor.ShapesOnly.Redact($"'{once}' is bad").Should().Be("'Host=h;Password=********' is bad");
    }

    [Theory]
    [InlineData($"postgresql://u:my {Canary}@host/db", "postgresql://********@host/db")]
    [InlineData($"postgresql://u:a/b@c?{Canary}@host/db?sslmode=require", "postgresql://********@host/db?sslmode=require")]
    [InlineData($"mysql://{Canary}@host", "mysql://********@host")]
    [InlineData($"postgresql:/u:{Canary}@host/db", "postgresql:********@host/db")]
    [InlineData($"postgresql://u@host/db?password=a&{Canary}=1", "postgresql://********@host/db?password=********")]
    [InlineData($"Host=h;Password=a;{Canary}", "Host=h;Password=********")]
    [InlineData($"Host=h;Password=a {Canary};Port=1", "Host=h;Password=********")]
    [InlineData("Host=h;Database=d", "Host=h;Database=d")]
    [InlineData("postgresql://host:5432/db", "postgresql://host:5432/db")]
    public void A_whole_connection_string_is_masked_from_the_scheme_to_the_last_at_and_from_a_password_to_the_end(string text, string expected) =>
        Redactor.MaskConnectionString(text).Should().Be(expected);
}
