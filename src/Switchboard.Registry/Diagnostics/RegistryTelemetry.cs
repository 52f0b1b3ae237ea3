using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.Registry.Diagnostics;

/// <summary>
/// The engine's instruments: one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named
/// <see cref="Name"/>. Each instrument costs one enabled check when nobody listens. Names and labels follow
/// OpenTelemetry's conventions; docs/observability.md lists them all.
/// </summary>
internal static class RegistryTelemetry
{
    /// <summary>The meter's and the activity source's name: <c>Switchboard.Registry</c>.</summary>
    public const string Name = "Switchboard.Registry";

    /// <summary>The meter of the engine's counters and histograms.</summary>
    public static readonly Meter Meter = new(Name);

    /// <summary>The source of the health-probe spans.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Counter<long> Changes = Meter.CreateCounter<long>(
        "switchboard.registry.instance.changes", "{change}",
        "Instance changes made visible, by service and kind (registered, updated, status_changed, deregistered, expired, reaped).");

    private static readonly Counter<long> Probes = Meter.CreateCounter<long>(
        "switchboard.registry.check.probes", "{probe}", "Health-check probes run, by check kind and result.");

    private static readonly Histogram<double> ProbeDuration = Meter.CreateHistogram<double>(
        "switchboard.registry.check.probe.duration", "s", "Duration of health-check probes, by check kind and result.");

    private static readonly UpDownCounter<long> ParkedQueries = Meter.CreateUpDownCounter<long>(
        "switchboard.registry.blocking_queries.parked", "{query}", "Blocking queries waiting for a change.");

    private static readonly Histogram<long> BatchSize = Meter.CreateHistogram<long>(
        "switchboard.registry.store.batch.size", "{write}", "Writes group-committed in one store batch.",
        advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 50, 100, 500, 1000, 10000] });

    private static readonly Histogram<double> WriteDuration = Meter.CreateHistogram<double>(
        "switchboard.registry.store.write.duration", "s", "Time to write (and fsync, when on) one store batch.");

    private static readonly Counter<long> RoundTrips = Meter.CreateCounter<long>(
        "switchboard.registry.store.round_trips", "{round_trip}", "Requests the registry made to a shared store (Redis), by operation.");

    private static readonly Counter<long> RefusedWrites = Meter.CreateCounter<long>(
        "switchboard.registry.writes.refused", "{write}", "Write requests refused, by reason (validation, acl, store_unavailable, rate_limited, conflict).");

    /// <summary>Counts an instance change that became visible.</summary>
    public static void Changed(string kind, string serviceName)
    {
        if (Changes.Enabled)
            Changes.Add(1, new TagList { { "service.name", ServiceLabel.Of(serviceName) }, { "switchboard.change", kind } });
    }

    /// <summary>Records one probe: its kind (<c>http</c>, <c>tcp</c>), its result (a health status' wire name) and how long it took.</summary>
    public static void Probed(string kind, string result, TimeSpan duration)
    {
        if (!Probes.Enabled && !ProbeDuration.Enabled)
            return;
        var tags = new TagList { { "switchboard.check.kind", kind }, { "switchboard.check.result", result } };
        Probes.Add(1, tags);
        ProbeDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A blocking query starts (+1) or stops (-1) waiting.</summary>
    public static void Parked(int delta) => ParkedQueries.Add(delta);

    /// <summary>Records one store batch: how many writes it held and how long writing it took.</summary>
    public static void StoreBatch(string store, int writes, TimeSpan duration)
    {
        var tag = new KeyValuePair<string, object?>("switchboard.store", store);
        BatchSize.Record(writes, tag);
        WriteDuration.Record(duration.TotalSeconds, tag);
    }

    /// <summary>Counts one request to a shared store.</summary>
    public static void RoundTrip(string store, string operation)
    {
        if (RoundTrips.Enabled)
            RoundTrips.Add(1, new TagList { { "switchboard.store", store }, { "switchboard.operation", operation } });
    }

    /// <summary>Counts a refused write request.</summary>
    public static void Refused(string reason) => RefusedWrites.Add(1, new KeyValuePair<string, object?>("switchboard.reason", reason));
}
