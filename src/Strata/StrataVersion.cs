using System.Reflection;

namespace Strata;

/// <summary>Strata's version, as recorded in history metadata.</summary>
public static class StrataVersion
{
    /// <summary>The informational version without build metadata, e.g. <c>0.1.0</c>.</summary>
    public static string Current { get; } =
        typeof(StrataVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
