namespace Strata.Tests.FaultSuite;

/// <summary>
/// How hard the fault suite pushes. CI runs the small counts; STRATA_FAULT_TRIALS=full runs the
/// counts the hardening issue names (8 runners x 20 rounds, 50 kills of a 200-migration run).
/// Each test prints its figures as an xUnit diagnostic line ("fault suite: ..."), shown in the run.
/// </summary>
public static class Trials
{
    public static bool Full => Environment.GetEnvironmentVariable("STRATA_FAULT_TRIALS") == "full";

    public static int Runners => Full ? 8 : 4;
    public static int Rounds => Full ? 20 : 3;
    public static int Kills => Full ? 50 : 6;
    public static int KillMigrations => Full ? 200 : 40;

    public static void Report(string figures) => TestContext.Current.SendDiagnosticMessage("fault suite: " + figures);
}
