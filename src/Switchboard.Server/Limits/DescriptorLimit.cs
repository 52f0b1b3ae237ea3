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

    /// <summary>
    /// The default connection limit for a soft descriptor limit: the limit minus a reserve of an eighth of it (at least 128,
    /// and never more than half) for the listening socket, health probes, the store's files, Redis and the runtime.
    /// Null when the descriptor limit is unknown.
    /// </summary>
    public static int? DefaultMaxConnections(long? softLimit)
    {
        if (softLimit is not { } soft || soft <= 0)
            return null;
        var reserve = Math.Min(Math.Max(128, soft / 8), soft / 2);
        return (int)Math.Min(int.MaxValue, soft - reserve);
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
