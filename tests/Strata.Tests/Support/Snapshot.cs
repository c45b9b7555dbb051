using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Strata.Tests.Support;

/// <summary>
/// Compares what people read with <c>Snapshots/&lt;Area&gt;/&lt;Case&gt;.verified.txt</c>, after scrubbing what
/// changes from run to run (times, durations, ports, database and temp folder names). A mismatch
/// writes <c>.received.txt</c> beside it; accept a change by renaming it to <c>.verified.txt</c>.
/// </summary>
public static partial class Snapshot
{
    [GeneratedRegex(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")] private static partial Regex Timestamp();
    [GeneratedRegex(@"\d+ ms\b")] private static partial Regex Milliseconds();
    [GeneratedRegex(@"(?<=<time>\s+\S+\s+)\d+(?=\s)")] private static partial Regex MsColumn();
    [GeneratedRegex(@"127\.0\.0\.1:\d+")] private static partial Regex Port();
    [GeneratedRegex(@"t_[0-9a-f]{16}")] private static partial Regex Database();
    [GeneratedRegex(@"/tmp/strata-dir-[0-9a-f]{32}")] private static partial Regex TempFolder();
    [GeneratedRegex(@"sha256:[0-9a-f]{64}")] private static partial Regex Checksum();
    [GeneratedRegex(@"(?<=\S) {2,}")] private static partial Regex ColumnGap();
    [GeneratedRegex(@"─{3,}")] private static partial Regex Rule();

    public static string Scrub(string text)
    {
        text = Timestamp().Replace(text, "<time>");
        text = Milliseconds().Replace(text, "<n> ms");
        text = MsColumn().Replace(text, m => "<n>".PadRight(m.Length));
        text = Port().Replace(text, "127.0.0.1:<port>");
        text = Database().Replace(text, "<db>");
        text = TempFolder().Replace(text, "<dir>");
        text = Checksum().Replace(text, "sha256:<hex>");
        // Column widths follow the widest value (a 9 ms row vs a 12 ms row): compare content, not padding.
        // (Source lines with a caret, "6 | ...", keep their spacing: the caret's column is the point.)
        text = string.Join('\n', text.Split('\n').Select(line => line.Contains(" | ", StringComparison.Ordinal) ? line : ColumnGap().Replace(line, "  ")));
        return Rule().Replace(text, "───");
    }

    public static void Verify(string area, string name, string actual, [CallerFilePath] string testFile = "")
    {
        var folder = Path.Combine(ProjectFolder(testFile), "Snapshots", area);
        Directory.CreateDirectory(folder);
        var verified = Path.Combine(folder, name + ".verified.txt");
        var received = Path.Combine(folder, name + ".received.txt");
        var text = string.Join('\n', Scrub(actual).Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).TrimEnd() + "\n";
        if (File.Exists(verified) && File.ReadAllText(verified) == text)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllText(received, text);
        File.Exists(verified).Should().BeTrue($"no snapshot yet: review {received} and rename it to .verified.txt");
        text.Should().Be(File.ReadAllText(verified), $"the output changed: compare {received} with {verified}");
    }

    private static string ProjectFolder(string testFile)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(testFile)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Strata.Tests.csproj"))) return dir.FullName;
        throw new InvalidOperationException("Strata.Tests.csproj not found above " + testFile);
    }
}
