namespace Strata.History;

/// <summary>An attempt of a statement-by-statement file that started and never finished.</summary>
/// <param name="At">When it started.</param>
/// <param name="By">Who ran it.</param>
/// <param name="CommittedStatements">Statements known to have taken effect, counted from the first.</param>
/// <param name="InvalidIndexesBefore">INVALID indexes that existed before it started: any others it left are its own.</param>
public sealed record Interruption(DateTime At, string? By, int CommittedStatements, IReadOnlyList<string> InvalidIndexesBefore);
