using System.Globalization;
using System.Runtime.InteropServices;

namespace Switchboard.Registry.Storage;

/// <summary>
/// The names in the data directory: <c>snapshot.json</c>, the journal segments <c>journal-&lt;first index, 20 digits&gt;.log</c>
/// (older versions wrote one <c>journal.log</c>, read as the first segment) and <c>LOCK</c>; plus the directory fsync.
/// </summary>
internal static partial class DataFiles
{
    public const string SnapshotName = "snapshot.json";
    public const string LegacyJournalName = "journal.log";
    public const string LockName = "LOCK";
    public const string DamagedSuffix = ".damaged";
    private const string SegmentPrefix = "journal-";
    private const string SegmentSuffix = ".log";

    /// <summary>The path of the segment whose first record has index <paramref name="firstIndex"/> or later.</summary>
    public static string Segment(string directory, long firstIndex)
        => Path.Combine(directory, SegmentPrefix + firstIndex.ToString("D20", CultureInfo.InvariantCulture) + SegmentSuffix);

    /// <summary>Every journal segment in load order: <c>journal.log</c> first, then by first index.</summary>
    public static List<string> Segments(string directory)
    {
        var segments = new List<(long Order, string Path)>();
        foreach (var path in Directory.EnumerateFiles(directory, "journal*.log"))
        {
            var name = Path.GetFileName(path);
            if (name == LegacyJournalName)
                segments.Add((-1, path));
            else if (name.StartsWith(SegmentPrefix, StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(SegmentPrefix.Length, name.Length - SegmentPrefix.Length - SegmentSuffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var first))
                segments.Add((first, path));
        }
        return [.. segments.OrderBy(s => s.Order).Select(s => s.Path)];
    }

    /// <summary>Whether <paramref name="path"/> is the journal older versions wrote (lines without checksums allowed).</summary>
    public static bool IsLegacyJournal(string path) => Path.GetFileName(path) == LegacyJournalName;

    // "libc" alone resolves through a linker script on some distributions and not at all on others: name glibc's soname.
    static DataFiles() => NativeLibrary.SetDllImportResolver(typeof(DataFiles).Assembly, static (name, _, _) =>
        name == "libc" && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var handle) ? handle : IntPtr.Zero);

    /// <summary>Makes created, renamed and deleted names in <paramref name="directory"/> durable (POSIX needs the directory fsynced too).</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
            return;
        try
        {
            var fd = Open(directory, 0); // O_RDONLY
            if (fd < 0)
                return; // best effort: the files themselves are fsynced
            _ = Fsync(fd);
            _ = Close(fd);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without these names (musl keeps them, so this is not expected): the files are still fsynced.
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
