using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests.Checking;

/// <summary>
/// Checks a history against a sequential model of the catalog: each instance id is absent or holds one version, a register
/// sets it, a deregister clears it. An operation whose outcome is unknown may have taken effect at any time after its
/// invocation, or never; a failed one never did.
/// </summary>
public static class Checker
{
    /// <summary>Checks <paramref name="history"/> for every <see cref="AnomalyKind"/>.</summary>
    public static CheckResult Check(History history) => Check(history.Operations);

    /// <summary>Checks <paramref name="operations"/> (ids unique) for every <see cref="AnomalyKind"/>.</summary>
    public static CheckResult Check(IReadOnlyList<Operation> operations)
    {
        var byId = operations.ToDictionary(o => o.Id);
        var writes = operations
            .Where(o => o.Kind is OperationKind.Register or OperationKind.Deregister && o.InstanceId is not null)
            .GroupBy(o => o.InstanceId!)
            .ToDictionary(g => g.Key, g => g.ToList());
        List<Anomaly> anomalies =
        [
            .. Observations(operations, byId, writes),
            .. FinalState(operations, writes),
            .. Indexes(operations),
            .. Watches(operations),
            .. WatchGaps(operations),
        ];
        return new CheckResult(operations, anomalies);
    }

    /// <summary>(b) phantom reads and (d) resurrections: what each read and event saw must have been written, and not removed since.</summary>
    private static IEnumerable<Anomaly> Observations(IReadOnlyList<Operation> operations, Dictionary<int, Operation> byId, Dictionary<string, List<Operation>> writes)
    {
        foreach (var read in operations.Where(o => o.Outcome == Outcome.Ok && o.Observed is not null))
        {
            foreach (var (instanceId, version) in read.Observed!)
            {
                if (!byId.TryGetValue(version, out var write) || write.Kind != OperationKind.Register || write.InstanceId != instanceId || write.Service != read.Service)
                {
                    yield return new(AnomalyKind.PhantomRead, $"{Describe(read)} saw {instanceId} at version {version}, which no register of that instance in {read.Service} wrote", [read.Id]);
                    continue;
                }
                if (write.Outcome == Outcome.Failed)
                {
                    yield return new(AnomalyKind.PhantomRead, $"{Describe(read)} saw {instanceId} at version {version}, whose register failed ({write.Detail})", [read.Id, write.Id]);
                    continue;
                }
                if (write.Invoked > read.Completed)
                {
                    yield return new(AnomalyKind.PhantomRead, $"{Describe(read)} saw {instanceId} at version {version} before its register was invoked", [read.Id, write.Id]);
                    continue;
                }
                if (read.Kind != OperationKind.Read || write.Outcome != Outcome.Ok)
                    continue; // an event reports a past change; an unknown register may have taken effect at any time
                // Only a removal acknowledged by the node read from: another node's replica may lag (see docs/consistency.md).
                var removal = writes[instanceId].FirstOrDefault(d => d.Kind == OperationKind.Deregister && d.Outcome == Outcome.Ok && d.Node == read.Node
                    && write.Completed < d.Invoked && d.Completed < read.Invoked);
                if (removal is not null)
                    yield return new(AnomalyKind.Resurrected, $"{Describe(read)} saw {instanceId} at version {version}, which deregistration {removal.Id} had removed before the read was invoked", [read.Id, removal.Id, write.Id]);
            }
        }
    }

    /// <summary>(a) lost writes: the last read of each service after healing must show, for each instance id, the effect of a write that can be the last one.</summary>
    private static IEnumerable<Anomaly> FinalState(IReadOnlyList<Operation> operations, Dictionary<string, List<Operation>> writes)
    {
        var finals = operations.Where(o => o.Final && o.Kind == OperationKind.Read && o.Outcome == Outcome.Ok)
            .GroupBy(o => o.Service)
            .ToDictionary(g => g.Key, g => g.MaxBy(o => o.Invoked)!);
        foreach (var (instanceId, all) in writes.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            if (!finals.TryGetValue(all[0].Service, out var final))
                continue;
            var before = all.Where(w => w.Invoked < final.Invoked).ToList();
            var acknowledged = before.Where(w => w.Outcome == Outcome.Ok).ToList();
            // A write can be the last to take effect unless an acknowledged write was invoked after it certainly ended.
            var candidates = before.Where(w => w.Outcome != Outcome.Failed && !acknowledged.Any(a => w.EffectiveEnd < a.Invoked)).ToList();
            var allowed = candidates.Select(w => w.Kind == OperationKind.Register ? w.Id : (int?)null).ToHashSet();
            if (acknowledged.Count == 0)
                allowed.Add(null);
            int? seen = final.Observed!.TryGetValue(instanceId, out var version) ? version : null;
            if (!allowed.Contains(seen))
            {
                var expected = string.Join(" or ", allowed.Select(v => v is { } x ? $"version {x}" : "absent"));
                yield return new(AnomalyKind.LostWrite, $"after healing, {Describe(final)} shows {instanceId} {(seen is { } s ? $"at version {s}" : "absent")}; the writes that can be last leave it {expected}",
                    [final.Id, .. candidates.Select(w => w.Id)]);
            }
        }
    }

    /// <summary>(c) a client's reads of a service on a node never see its index go backwards.</summary>
    private static IEnumerable<Anomaly> Indexes(IReadOnlyList<Operation> operations)
    {
        var reads = operations.Where(o => o.Kind == OperationKind.Read && o.Outcome == Outcome.Ok && o.Index is not null)
            .GroupBy(o => (o.Client, o.Node, o.Service));
        foreach (var sequence in reads)
        {
            Operation? highest = null;
            foreach (var read in sequence.OrderBy(o => o.Invoked))
            {
                if (highest is not null && read.Index < highest.Index)
                    yield return new(AnomalyKind.IndexWentBack, $"{Describe(read)} saw index {read.Index} after operation {highest.Id} of the same client saw {highest.Index}", [read.Id, highest.Id]);
                if (highest is null || read.Index > highest.Index)
                    highest = read;
            }
        }
    }

    /// <summary>(e) each watcher's events come in strictly increasing index order between resynchronisations.</summary>
    private static IEnumerable<Anomaly> Watches(IReadOnlyList<Operation> operations)
    {
        var streams = operations.Where(o => o.Kind is OperationKind.WatchEvent or OperationKind.WatchResync).GroupBy(o => o.Client);
        foreach (var stream in streams)
        {
            Operation? previous = null;
            foreach (var op in stream.OrderBy(o => o.Id))
            {
                if (op.Kind == OperationKind.WatchResync)
                {
                    previous = null;
                    continue;
                }
                if (previous is not null && op.Index <= previous.Index)
                    yield return new(AnomalyKind.WatchOutOfOrder, $"watcher {op.Client} of {op.Service} received index {op.Index} ({op.Detail} {op.InstanceId}) after index {previous.Index} without a resynchronisation", [op.Id, previous.Id]);
                previous = op;
            }
        }
    }

    /// <summary>
    /// (f) between resynchronisations a watcher sees every change of its service: each acknowledged register of the service
    /// answered with an index strictly between the first and the last event of one uninterrupted stream has its event, at
    /// that index, with that register's version.
    /// </summary>
    private static IEnumerable<Anomaly> WatchGaps(IReadOnlyList<Operation> operations)
    {
        var registers = operations.Where(o => o.Kind == OperationKind.Register && o.Outcome == Outcome.Ok && o.Index is not null)
            .GroupBy(o => o.Service).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var session in WatchSessions(operations))
        {
            var first = session[0].Index!.Value;
            var last = session[^1].Index!.Value;
            if (last - first < 2 || !registers.TryGetValue(session[0].Service, out var written))
                continue;
            var received = session.GroupBy(e => e.Index!.Value).ToDictionary(g => g.Key, g => g.First());
            foreach (var register in written.Where(r => r.Index > first && r.Index < last))
            {
                if (!received.TryGetValue(register.Index!.Value, out var seen))
                    yield return new(AnomalyKind.WatchMissed, $"watcher {session[0].Client} of {register.Service} on {session[0].Node} received index {first} to {last} without a resynchronisation but not index {register.Index}, the answer of {Describe(register)} ({register.InstanceId})", [register.Id, session[0].Id, session[^1].Id]);
                else if (seen.InstanceId != register.InstanceId || seen.Observed is null || !seen.Observed.TryGetValue(register.InstanceId!, out var version) || version != register.Id)
                    yield return new(AnomalyKind.WatchMissed, $"watcher {session[0].Client} of {register.Service} on {session[0].Node} received {seen.Detail} {seen.InstanceId} at index {register.Index}, the answer of {Describe(register)} ({register.InstanceId} version {register.Id})", [register.Id, seen.Id]);
            }
        }
    }

    /// <summary>Each watcher's events split into uninterrupted streams (a resynchronisation ends one).</summary>
    private static IEnumerable<List<Operation>> WatchSessions(IReadOnlyList<Operation> operations)
    {
        foreach (var watcher in operations.Where(o => o.Kind is OperationKind.WatchEvent or OperationKind.WatchResync).GroupBy(o => o.Client))
        {
            var session = new List<Operation>();
            foreach (var op in watcher.OrderBy(o => o.Id))
            {
                if (op.Kind == OperationKind.WatchEvent && op.Index is not null)
                {
                    session.Add(op);
                    continue;
                }
                if (session.Count > 0)
                    yield return session;
                session = [];
            }
            if (session.Count > 0)
                yield return session;
        }
    }

    private static string Describe(Operation op) => $"{op.Kind.ToString().ToLowerInvariant()} {op.Id} of {op.Service} by client {op.Client} on {op.Node}";
}
