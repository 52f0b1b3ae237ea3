using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Catalog;

/// <summary>A load large enough to be split across threads: every instance indexed once, every lease, TTL check and probe armed as a one-thread load arms them.</summary>
public sealed class LargeLoadTests
{
    private const int Services = 1_500;
    private const int PerService = 10; // 15,000 instances: above the size a load is split at
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(60);

    private static ServiceInstance Loaded(int service, int i)
    {
        var n = service * PerService + i;
        HealthCheckSpec? check = (n % 5) switch
        {
            0 => new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(20), Id = $"ttl-{n}" },
            1 => new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = $"http://10.1.0.1:{1000 + (n % 60000)}/health", Interval = TimeSpan.FromSeconds(10), Id = $"http-{n}" },
            _ => null,
        };
        var instance = CatalogFixture.Instance(service: $"svc-{service}", port: 1000 + i, ttl: n % 2 == 0 ? Ttl : TimeSpan.Zero, check: check, host: $"10.{service / 250}.{service % 250}.{i}");
        return instance with { CreateIndex = n + 1, ModifyIndex = n + 1 };
    }

    [Fact]
    public async Task EveryInstance_IsIndexedOnce_AndEveryDeadlineAndProbeIsArmed()
    {
        var instances = Enumerable.Range(0, Services).SelectMany(s => Enumerable.Range(0, PerService).Select(i => Loaded(s, i))).ToArray();
        var f = new CatalogFixture(new SnapshotStore(new StoreSnapshot(instances.Length, instances)));
        var scheduled = new List<string>();
        f.Catalog.ActiveCheckScheduled += check => scheduled.Add(check.CheckId);

        await f.Catalog.LoadAsync();

        Assert.Equal(instances.Length, f.Catalog.InstanceCount);
        Assert.Equal(instances.Length, f.Catalog.PublishedIndex);
        foreach (var group in instances.GroupBy(i => i.ServiceName))
            Assert.Equal(group.Select(i => i.InstanceId).Order(StringComparer.Ordinal), f.Catalog.GetService(group.Key)!.Instances.Select(i => i.InstanceId));
        Assert.All(instances, i => Assert.NotNull(f.Catalog.GetInstance(i.InstanceId)));
        Assert.Equal(instances.Where(i => i.Checks.Any(c => c.Spec.Kind == HealthCheckKind.Http)).Select(i => i.Checks[0].CheckId).Order(), scheduled.Order());

        // The restored leases run out at their TTL plus the grace period, and only those.
        f.Time.Advance(Ttl + f.Options.RestoreGracePeriod - TimeSpan.FromSeconds(1));
        await f.Catalog.SweepAsync();
        Assert.Equal(instances.Length, f.Catalog.InstanceCount);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.Catalog.SweepAsync();
        Assert.Equal(instances.Count(i => i.Ttl is null), f.Catalog.InstanceCount);
        Assert.All(instances.Where(i => i.Ttl is null), i => Assert.NotNull(f.Catalog.GetInstance(i.InstanceId)));

        // The TTL checks that were armed (of instances without a lease) have gone critical.
        var ttlChecked = instances.Where(i => i.Ttl is null && i.Checks.Any(c => c.Spec.Kind == HealthCheckKind.Ttl)).ToArray();
        Assert.NotEmpty(ttlChecked);
        Assert.All(ttlChecked, i => Assert.Equal(HealthStatus.Critical, f.Catalog.GetInstance(i.InstanceId)!.Instance.Status));
    }
}
