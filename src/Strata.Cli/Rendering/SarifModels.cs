using System.Text.Json.Serialization;

namespace Strata.Cli.Rendering;

// SARIF 2.1.0 (OASIS), the subset code scanning reads: one run, the tool's rules, one result per
// finding with its physical location. Property names are SARIF's own (camelCase, "$schema").

public sealed record SarifLog([property: JsonPropertyName("$schema")] string Schema, string Version, IReadOnlyList<SarifRun> Runs);
public sealed record SarifRun(SarifTool Tool, IReadOnlyList<SarifResult> Results);
public sealed record SarifTool(SarifDriver Driver);
public sealed record SarifDriver(string Name, string Version, string InformationUri, IReadOnlyList<SarifRule> Rules);
public sealed record SarifRule(string Id, SarifText ShortDescription, string HelpUri, SarifConfiguration DefaultConfiguration);
public sealed record SarifConfiguration(string Level);
public sealed record SarifText(string Text);
public sealed record SarifResult(string RuleId, string Level, SarifText Message, IReadOnlyList<SarifLocation> Locations);
public sealed record SarifLocation(SarifPhysicalLocation PhysicalLocation);
public sealed record SarifPhysicalLocation(SarifArtifact ArtifactLocation, SarifRegion Region);
public sealed record SarifArtifact(string Uri);
public sealed record SarifRegion(int StartLine, int StartColumn);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SarifLog))]
internal sealed partial class SarifJsonContext : JsonSerializerContext;
