using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;

namespace Switchboard.Registry.Diagnostics;

/// <summary>
/// The catalog's observable gauges on <see cref="RegistryTelemetry.Meter"/>'s name: instances by status, services,
/// event-stream subscribers, whether this node leads expiry and checks, and its replication lag. They are read only when a listener collects (a scrape), so they cost nothing between.
/// A hosted service only so that the gauges exist from start.
/// </summary>
internal sealed class CatalogGauges : IHostedService
{
    private static readonly HealthStatus[] Statuses = [HealthStatus.Passing, HealthStatus.Warning, HealthStatus.Critical];

    public CatalogGauges(IMeterFactory meters, ServiceCatalog catalog)
    {
        var meter = meters.Create(RegistryTelemetry.Name);
        meter.CreateObservableGauge("switchboard.registry.instances", () => ByStatus(catalog), "{instance}", "Registered instances, by health status.");
        meter.CreateObservableGauge("switchboard.registry.services", () => catalog.ServiceCount, "{service}", "Services with at least one instance.");
        meter.CreateObservableGauge("switchboard.registry.event_stream.subscribers", () => catalog.Events.SubscriberCount, "{subscriber}", "Open event-stream subscriptions.");
        meter.CreateObservableGauge("switchboard.registry.deadlines.leader", () => catalog.RunsDeadlines ? 1 : 0, "{node}",
            "1 while this node runs expiry and health checks (always with a store of its own; the Redis leader lease otherwise).");
        meter.CreateObservableGauge("switchboard.registry.replication.lag", () => catalog.ReplicationLag, "{index}",
            "How many shared indexes this node's replica is behind the shared store's index it last read (0 with a store of its own).");
    }

    private static IEnumerable<Measurement<int>> ByStatus(ServiceCatalog catalog)
    {
        var counts = catalog.CountByStatus();
        for (var i = 0; i < Statuses.Length; i++)
            yield return new Measurement<int>(counts[i], new KeyValuePair<string, object?>("switchboard.status", Statuses[i].ToWireName()));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
