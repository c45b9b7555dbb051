// Benchmark driver for the two .NET peers Strata is compared against.
//   Peers dbup   CONNSTRING DIR   -- DbUp, one transaction per script
//   Peers evolve CONNSTRING DIR   -- Evolve, default (commit each) mode
// Exit code 0 on success, 1 on a failed migration, 2 on bad usage.
using DbUp;
using EvolveDb;
using Npgsql;

if (args.Length != 3 || args[0] is not ("dbup" or "evolve"))
{
    Console.Error.WriteLine("usage: Peers dbup|evolve CONNSTRING DIR");
    return 2;
}

var (tool, connectionString, dir) = (args[0], args[1], Path.GetFullPath(args[2]));

if (tool == "dbup")
{
    var result = DeployChanges.To
        .PostgresqlDatabase(connectionString)
        .WithScriptsFromFileSystem(dir)
        .WithTransactionPerScript()
        .LogToNowhere()
        .Build()
        .PerformUpgrade();
    if (!result.Successful)
    {
        Console.Error.WriteLine($"dbup failed: {result.Error}");
        return 1;
    }
    Console.WriteLine($"dbup: applied {result.Scripts.Count()} script(s)");
    return 0;
}

using var connection = new NpgsqlConnection(connectionString);
var evolve = new Evolve(connection, _ => { })
{
    Locations = [dir],
    IsEraseDisabled = true,
};
try
{
    evolve.Migrate();
}
catch (Exception e)
{
    Console.Error.WriteLine($"evolve failed: {e.Message}");
    return 1;
}
Console.WriteLine($"evolve: applied {evolve.NbMigration} migration(s)");
return 0;
