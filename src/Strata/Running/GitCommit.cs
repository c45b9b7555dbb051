namespace Strata.Running;

/// <summary>
/// The commit a migrations folder is at, read from .git files rather than by starting git, so
/// that recording it costs no process start. CI variables win when set.
/// </summary>
internal static class GitCommit
{
    /// <summary>The full commit id, or null outside a git checkout.</summary>
    public static string? Find(string directory, Func<string, string?> environment)
    {
        if (FromEnvironment(environment) is { } fromCi) return fromCi;
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (File.Exists(git))
            {
                // A worktree or submodule: ".git" is a file naming the real git folder.
                var pointer = File.ReadAllText(git).Trim();
                if (!pointer.StartsWith("gitdir:", StringComparison.Ordinal)) return null;
                git = Path.GetFullPath(pointer[7..].Trim(), dir.FullName);
            }
            if (!Directory.Exists(git)) continue;
            return FromGitDirectory(git);
        }
        return null;
    }

    /// <summary>The commit CI names (for sources that are not a checkout, such as embedded resources).</summary>
    public static string? FromEnvironment(Func<string, string?> environment)
    {
        foreach (var variable in (string[])["STRATA_GIT_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA"])
            if (environment(variable) is { Length: > 0 } value) return value;
        return null;
    }

    private static string? FromGitDirectory(string git)
    {
        var headFile = Path.Combine(git, "HEAD");
        if (!File.Exists(headFile)) return null;
        var head = File.ReadAllText(headFile).Trim();
        if (!head.StartsWith("ref:", StringComparison.Ordinal)) return head.Length == 40 ? head : null;
        var reference = head[4..].Trim();
        var common = File.Exists(Path.Combine(git, "commondir"))
            ? Path.GetFullPath(File.ReadAllText(Path.Combine(git, "commondir")).Trim(), git)
            : git;
        foreach (var root in (string[])[git, common])
        {
            var loose = Path.Combine(root, reference);
            if (File.Exists(loose)) return File.ReadAllText(loose).Trim();
        }
        var packed = Path.Combine(common, "packed-refs");
        if (!File.Exists(packed)) return null;
        foreach (var line in File.ReadLines(packed))
            if (line.EndsWith(" " + reference, StringComparison.Ordinal)) return line[..40];
        return null;
    }
}
