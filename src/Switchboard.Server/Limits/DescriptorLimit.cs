using System.Runtime.InteropServices;

namespace Switchboard.Server.Limits;

/// <summary>The process's open-file (descriptor) limit, <c>RLIMIT_NOFILE</c>, read and raised through libc on Linux; unknown elsewhere.</summary>
public static partial class DescriptorLimit
{
    private const int RlimitNoFile = 7; // Linux, every architecture .NET runs on
    private const ulong Infinity = ulong.MaxValue;

    /// <summary>The soft and hard limits.</summary>
    /// <param name="Soft">What the process may open now.</param>
    /// <param name="Hard">What the soft limit may be raised to without privileges.</param>
    public readonly record struct Values(long Soft, long Hard);

    /// <summary>The current limits; null where they cannot be read (not Linux).</summary>
    public static Values? Read()
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RlimitNoFile, out var limit) != 0)
            return null;
        return new Values(Clamp(limit.Current), Clamp(limit.Maximum));
    }

    /// <summary>Raises the soft limit to the hard limit; returns the limits before and after (null where unknown).</summary>
    public static (Values? Before, Values? After) RaiseSoftToHard()
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RlimitNoFile, out var limit) != 0)
            return (null, null);
        var before = new Values(Clamp(limit.Current), Clamp(limit.Maximum));
        if (limit.Current != limit.Maximum)
            _ = SetRLimit(RlimitNoFile, new RLimit { Current = limit.Maximum, Maximum = limit.Maximum });
        return (before, Read());
    }

    private static readonly Lazy<int?> Default = new(() => DefaultMaxConnections(Read()?.Soft, OpenNow()));

    /// <summary>
    /// The default connection limit of this process: <see cref="DefaultMaxConnections(long?, int?)"/> of its soft limit and
    /// the descriptors it has open, computed once (at the first call: the agent logs it at start, before Kestrel reads it).
    /// </summary>
    public static int? DefaultMaxConnections() => Default.Value;

    /// <summary>
    /// The default connection limit for a soft descriptor limit: the limit, minus the descriptors already open (the runtime
    /// keeps about 200 open, mostly its assemblies), minus a reserve of an eighth of the limit, at least 256, for what the
    /// registry opens later (health probes, the store's files, Redis connections, a connection Kestrel accepts only to close
    /// it past the limit). At least 1; null when the descriptor limit is unknown.
    /// </summary>
    public static int? DefaultMaxConnections(long? softLimit, int? openNow)
    {
        if (softLimit is not { } soft || soft <= 0)
            return null;
        var reserve = Math.Max(256, soft / 8);
        return (int)Math.Clamp(soft - (openNow ?? 0) - reserve, 1, int.MaxValue);
    }

    /// <summary>How many descriptors the process has open (entries of <c>/proc/self/fd</c>); null where unknown.</summary>
    public static int? OpenNow()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long Clamp(ulong value) => value >= long.MaxValue || value == Infinity ? long.MaxValue : (long)value;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);
}
