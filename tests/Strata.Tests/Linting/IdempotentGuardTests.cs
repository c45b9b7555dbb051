using Strata.Linting;
using Strata.Project;
using Strata.Tests.Support;

namespace Strata.Tests.Linting;

/// <summary>require-idempotent-guard on each kind of statement it knows, unsafe and safe.</summary>
public class IdempotentGuardTests
{
    private static async Task<bool> FlaggedAsync(string up)
    {
        using var dir = new MigrationDirectory();
        dir.Write("20251001000000_x.sql", $"-- X\n-- migrate:up\n{up}\n-- migrate:down\nSELECT 1;\n");
        var result = await StrataProject.Open(new ProjectOptions { WorkingDirectory = dir.Root, EnvironmentVariables = _ => null }).LintAsync(new LintOptions([]));
        return result.Findings.Any(f => f.Rule == "require-idempotent-guard");
    }

    [Theory]
    [InlineData("CREATE INDEX trips_km ON trips (km);")]
    [InlineData("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;")]
    [InlineData("DROP TABLE trips;")]
    [InlineData("ALTER TABLE trips ADD COLUMN km int;")]
    [InlineData("ALTER TABLE trips DROP COLUMN km;")]
    [InlineData("CREATE POLICY own ON trips USING (true);")]
    [InlineData("CREATE TRIGGER touch BEFORE UPDATE ON trips FOR EACH ROW EXECUTE FUNCTION touch();")]
    [InlineData("CREATE TYPE mood AS ENUM ('happy', 'sad');")]
    [InlineData("CREATE DOMAIN positive AS int CHECK (VALUE > 0);")]
    public async Task Unguarded_statements_are_flagged(string up) => (await FlaggedAsync(up)).Should().BeTrue();

    [Theory]
    [InlineData("CREATE INDEX IF NOT EXISTS trips_km ON trips (km);")]
    [InlineData("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;")]
    [InlineData("DROP TABLE IF EXISTS trips;")]
    [InlineData("ALTER TABLE trips ADD COLUMN IF NOT EXISTS km int;")]
    [InlineData("ALTER TABLE trips DROP COLUMN IF EXISTS km;")]
    [InlineData("DROP POLICY IF EXISTS own ON trips;\nCREATE POLICY own ON trips USING (true);")]
    [InlineData("CREATE OR REPLACE TRIGGER touch BEFORE UPDATE ON trips FOR EACH ROW EXECUTE FUNCTION touch();")]
    [InlineData("DROP TRIGGER IF EXISTS touch ON trips;\nCREATE TRIGGER touch BEFORE UPDATE ON trips FOR EACH ROW EXECUTE FUNCTION touch();")]
    [InlineData("DO $$ BEGIN CREATE TYPE mood AS ENUM ('happy', 'sad'); EXCEPTION WHEN duplicate_object THEN NULL; END $$;")]
    public async Task Guarded_statements_are_not(string up) => (await FlaggedAsync(up)).Should().BeFalse();
}
