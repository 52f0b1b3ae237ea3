using System.Runtime.InteropServices;

namespace Switchboard.Registry.Catalog;

/// <summary>
/// Asks Linux to back the memory a large load is about to fill with transparent huge pages (2 MiB instead of 4 KiB) when
/// the kernel gives them only to memory that asks (<c>/sys/kernel/mm/transparent_hugepage/enabled</c> set to
/// <c>madvise</c>, the default of Debian, Ubuntu and RHEL).
/// </summary>
/// <remarks>
/// <para>A load of a million instances fills about 750 MB of fresh memory. On 4 KiB pages that is some 190,000 page faults,
/// and a TLB that covers a sliver of the heap while the parse, the index build and the collection after them walk it; on
/// the 2-core test VM huge pages took a fifth off a million-instance restart's time and CPU (docs/benchmarks.md, "Huge pages for the load").</para>
/// <para>The memory is the garbage collector's: <see cref="CollectionPause"/> has just committed the no-GC region for the
/// load, and an object allocated at once lands at the region's start, so the advice covers the region's size from that
/// object's 2 MiB boundary. <c>madvise(MADV_HUGEPAGE)</c> only marks the address range: it allocates nothing, and where
/// the kernel has no huge page at hand it uses small ones (its <c>defrag</c> setting decides whether it compacts memory
/// first, which is why the request is withdrawn once the load is done: <see cref="Withdraw"/>).</para>
/// </remarks>
internal static partial class HugePageAdvice
{
    /// <summary>The size of a transparent huge page on x86-64 and arm64 (4 KiB base pages).</summary>
    internal const long HugePageBytes = 2L * 1024 * 1024;

    private const string ModeFile = "/sys/kernel/mm/transparent_hugepage/enabled";
    private const int MadvHugePage = 14;
    private const int MadvNoHugePage = 15;

    /// <summary>The kernel's transparent huge page policy.</summary>
    internal enum Policy
    {
        /// <summary>Not Linux, or the kernel has no transparent huge pages.</summary>
        Unavailable,

        /// <summary>Every anonymous mapping gets huge pages: nothing to ask for.</summary>
        Always,

        /// <summary>Only memory advised with <c>MADV_HUGEPAGE</c> gets them: the case this class is for.</summary>
        Madvise,

        /// <summary>None: asking changes nothing.</summary>
        Never,
    }

    /// <summary>The running kernel's policy.</summary>
    public static Policy CurrentPolicy()
    {
        if (!OperatingSystem.IsLinux())
            return Policy.Unavailable;
        try
        {
            return ParsePolicy(File.ReadAllText(ModeFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Policy.Unavailable;
        }
    }

    /// <summary>The policy the kernel's <c>enabled</c> file selects: the bracketed word of <c>always [madvise] never</c>.</summary>
    internal static Policy ParsePolicy(string text)
    {
        var open = text.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : text.IndexOf(']', open);
        return close < 0 ? Policy.Unavailable : text[(open + 1)..close] switch
        {
            "always" => Policy.Always,
            "madvise" => Policy.Madvise,
            "never" => Policy.Never,
            _ => Policy.Unavailable,
        };
    }

    /// <summary>
    /// Advises huge pages for <paramref name="bytes"/> of the heap from where the next objects will be allocated, when the
    /// kernel's policy is <see cref="Policy.Madvise"/>. Returns the advised range, or null when nothing was advised.
    /// </summary>
    public static (nint Start, long Length)? AdviseForNextAllocations(long bytes)
    {
        if (bytes <= 0 || CurrentPolicy() != Policy.Madvise)
            return null;
        var start = (nint)(AddressOfNewObject() & ~(HugePageBytes - 1));
        var length = bytes + HugePageBytes; // the object may sit just past a boundary: the range ends at least `bytes` after it
        return TryAdvise(start, length, MadvHugePage) ? (start, length) : null;
    }

    /// <summary>
    /// Takes the request back once the load is done: memory the heap commits later in the range is faulted in small pages
    /// again, so no request made while serving waits for the kernel to compact memory into a huge page. What the load
    /// already holds in huge pages keeps them.
    /// </summary>
    public static void Withdraw((nint Start, long Length) range) => TryAdvise(range.Start, range.Length, MadvNoHugePage);

    private static bool TryAdvise(nint start, long length, int advice)
    {
        try
        {
            return Madvise(start, (nuint)length, advice) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a C library without madvise under that name: the load runs on small pages
        }
    }

    /// <summary>Where the heap puts an object allocated now: the start of the memory the next allocations fill.</summary>
    internal static long AddressOfNewObject()
    {
        var probe = GCHandle.Alloc(new byte[1], GCHandleType.Pinned);
        try
        {
            return probe.AddrOfPinnedObject();
        }
        finally
        {
            probe.Free();
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
