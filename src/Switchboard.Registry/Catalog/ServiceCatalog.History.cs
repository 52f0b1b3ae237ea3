using Switchboard.Api;
using Switchboard.Instances;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    /// <summary>How many status changes each instance keeps for <c>GET /instances/{id}</c> (and the dashboard).</summary>
    public const int MaxTransitions = 20;

    /// <summary>
    /// Appends the status changes between what readers saw and what they see now. Called under the write lock when a change
    /// becomes visible, so a change the store refused never enters the history. Kept in memory only.
    /// </summary>
    private void RecordTransitions(InstanceState state, ServiceInstance? previous, ServiceInstance current, long index)
    {
        if (previous is null)
            return; // a new instance: its history starts at its first change
        List<StatusTransition>? added = null;
        var at = new DateTimeOffset(Now, TimeSpan.Zero);
        foreach (var check in current.Checks)
        {
            foreach (var before in previous.Checks)
            {
                if (before.CheckId == check.CheckId && before.Status != check.Status)
                    (added ??= []).Add(new StatusTransition(check.CheckId, before.Status, check.Status, at, index, check.Output));
            }
        }
        // A status change no check's own transition explains (an instance without checks reporting, a check added or
        // removed: maintenance beginning or ending) is the instance's.
        if (added is null && previous.Status != current.Status)
            added = [new StatusTransition("", previous.Status, current.Status, at, index, current.Output)];
        if (added is null)
            return;
        var history = state.Transitions;
        var keep = Math.Min(history.Length, MaxTransitions - Math.Min(added.Count, MaxTransitions));
        state.Transitions = [.. history[(history.Length - keep)..], .. added.TakeLast(MaxTransitions)];
    }

    private static CheckProbe[] LatestProbes(InstanceState state)
    {
        var checks = state.VisibleChecks;
        var probes = new CheckProbe[checks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            var probedAt = Volatile.Read(ref checks[i].LastProbeAt);
            probes[i] = new CheckProbe(checks[i].CheckId, probedAt > 0 ? new DateTimeOffset(probedAt, TimeSpan.Zero) : null, checks[i].LatestOutput ?? checks[i].Output);
        }
        return probes;
    }
}
