using System.Runtime.InteropServices;

namespace Strata.Cli;

/// <summary>
/// Tunes glibc's malloc for a short-lived command. libpg_query allocates and frees a memory
/// context per statement it parses; with glibc's defaults every free at the top of the heap gave
/// memory back to the kernel and the next parse faulted it in again, which was a tenth of
/// <c>lint</c>'s time on a thousand files. Keeping freed memory (up to a bound) costs a CLI
/// nothing. The library never does this: an application embedding Strata owns its own process.
/// </summary>
internal static partial class GlibcMalloc
{
    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD: free memory kept at the top of the heap before trimming
    private const int TopPad = -2;          // M_TOP_PAD: extra memory asked for with each heap growth
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD: allocations above this get their own mapping

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);

    /// <summary>Applies the settings; on a C library without mallopt (or not glibc) it does nothing.</summary>
    public static void TuneForShortRun()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            Mallopt(TrimThreshold, 256 << 20);
            Mallopt(TopPad, 64 << 20);
            Mallopt(MmapThreshold, 32 << 20);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other C libraries: their defaults stay.
        }
    }
}
