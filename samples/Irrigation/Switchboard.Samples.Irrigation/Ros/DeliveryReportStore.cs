using System.Collections.Concurrent;
using Switchboard.Samples.Irrigation.Contracts;

namespace Switchboard.Samples.Irrigation.Ros;

/// <summary>The delivery reports ROS received, by optimization id (a repeated report replaces the first), the latest 500 kept.</summary>
internal sealed class DeliveryReportStore
{
    private const int Capacity = 500;

    private readonly ConcurrentDictionary<string, DeliveryReceipt> _byOptimization = new(StringComparer.Ordinal);

    /// <summary>Stores <paramref name="receipt"/>, replacing an earlier report of the same optimization.</summary>
    /// <returns>True when the optimization had no report yet.</returns>
    public bool Upsert(DeliveryReceipt receipt)
    {
        var created = !_byOptimization.ContainsKey(receipt.OptimizationId);
        _byOptimization[receipt.OptimizationId] = receipt;
        while (_byOptimization.Count > Capacity && _byOptimization.Values.MinBy(r => r.ReceivedAt) is { } oldest)
            _byOptimization.TryRemove(oldest.OptimizationId, out _);
        return created;
    }

    /// <summary>The reports, newest first.</summary>
    public IReadOnlyList<DeliveryReceipt> Latest(int count) => [.. _byOptimization.Values.OrderByDescending(r => r.ReceivedAt).Take(count)];
}
