using System.Collections.Concurrent;

namespace Switchboard.Registry.Diagnostics;

/// <summary>
/// The <c>service.name</c> label of the registry's metrics, bounded: the first <see cref="Cap"/> distinct service names
/// seen by this process are used as they are, every later one is <see cref="Other"/>, so registrations with hostile or
/// generated names cannot grow the number of metric series without end.
/// </summary>
internal static class ServiceLabel
{
    /// <summary>How many distinct service names the metrics carry before folding the rest into <see cref="Other"/>.</summary>
    public const int Cap = 200;

    /// <summary>The label value of every service past the cap.</summary>
    public const string Other = "_other";

    private static readonly ConcurrentDictionary<string, string> Known = new(StringComparer.Ordinal);

    /// <summary>How many names <see cref="Known"/> holds (its <c>Count</c> would take every bucket lock, under the catalog's write lock).</summary>
    private static int _count;

    /// <summary>The label value for <paramref name="serviceName"/>.</summary>
    public static string Of(string serviceName)
    {
        ArgumentNullException.ThrowIfNull(serviceName);
        if (Known.TryGetValue(serviceName, out var label))
            return label;
        // A race past the cap may admit a few more names than Cap; the bound still holds within a handful.
        if (Volatile.Read(ref _count) >= Cap)
            return Other;
        if (Known.TryAdd(serviceName, serviceName))
            Interlocked.Increment(ref _count);
        return serviceName;
    }
}
