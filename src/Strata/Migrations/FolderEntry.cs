using System.Runtime.InteropServices;

namespace Strata.Migrations;

/// <summary>
/// Reads one <c>*.sql</c> entry of a migrations folder, or says why it cannot be read, without
/// ever hanging or throwing: a named pipe blocks whoever opens it until a writer appears, and
/// a device such as <c>/dev/zero</c> never ends, so only regular files are opened.
/// </summary>
internal static partial class FolderEntry
{
    /// <summary>The entry's bytes, or the problem that stops them from being read.</summary>
    public static bool TryRead(string path, out byte[] content, out Problem? problem)
    {
        content = [];
        // The common case in one stat: a regular file, or a link to one. Anything else (a link
        // that leads nowhere, a folder, a pipe, a device, no file type known) takes the careful
        // path that names what it is; that path asked three questions of every file.
        problem = UnixKind(path) == Regular ? null : Check(path);
        if (problem is not null) return false;
        try
        {
            content = File.ReadAllBytes(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = MigrationProblems.UnreadableFile(path, ex.Message);
            return false;
        }
    }

    private static Problem? Check(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is { } link)
        {
            string? target;
            try
            {
                target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName;
            }
            catch (IOException)
            {
                target = null; // a loop of links
            }
            if (target is null || !(File.Exists(target) || Directory.Exists(target))) return MigrationProblems.DanglingSymlink(path, link);
        }
        if (Directory.Exists(path)) return MigrationProblems.NotARegularFile(path, "a folder");
        return UnixKind(path) switch
        {
            Fifo => MigrationProblems.NotARegularFile(path, "a named pipe (FIFO)"),
            CharacterDevice or BlockDevice => MigrationProblems.NotARegularFile(path, "a device"),
            Socket => MigrationProblems.NotARegularFile(path, "a socket"),
            // Without the file type (see UnixKind), an empty-looking entry is never opened: a
            // pipe and a device both report length 0, and an empty file holds nothing to read.
            Unknown when info.Length == 0 && !OperatingSystem.IsWindows() => MigrationProblems.NotARegularFile(path, "empty or not a regular file"),
            _ => null,
        };
    }

    private const int TypeMask = 0xF000, Regular = 0x8000, Fifo = 0x1000, CharacterDevice = 0x2000, BlockDevice = 0x6000, Socket = 0xC000, Unknown = -1;

    /// <summary>
    /// The file-type bits of stat(2), following links; <see cref="Unknown"/> on Windows (which has
    /// no such files in a folder) or when the call is unavailable. .NET has no public API for the
    /// type (dotnet/runtime#85148): <see cref="File.GetAttributes(string)"/> calls a pipe
    /// "Normal" with length 0, exactly like an empty file. This is the stat .NET's own file APIs
    /// use (System.Native, shipped with every runtime and linked into native builds); its
    /// FileStatus starts with Flags then Mode, with the S_IF* values of Linux.
    /// </summary>
    private static int UnixKind(string path)
    {
        if (OperatingSystem.IsWindows()) return Unknown;
        try
        {
            return Stat(path, out var status) == 0 ? status.Mode & TypeMask : Unknown;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return Unknown;
        }
    }

    // Size leaves room for fields a later runtime may add: the native side writes the whole struct.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }

    // LibraryImport: the marshalling is generated at compile time, so the native binary needs no runtime marshaller.
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, out FileStatus status);
}
