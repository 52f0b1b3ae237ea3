using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;

namespace Switchboard.Registry.Tests.Catalog;

public sealed class ServiceCatalogTests
{
    [Fact]
    public async Task RegisterAsync_NewInstance_BumpsIndexAndIsVisible()
    {
        var f = new CatalogFixture();

        var result = await f.Catalog.RegisterAsync(CatalogFixture.Instance());

        Assert.True(result.Created);
        Assert.Equal(1, result.Index);
        Assert.Equal(1, f.Catalog.Index);
        var view = f.Catalog.GetService("orders")!;
        Assert.Single(view.Instances);
        Assert.Equal(1, view.Index);
        Assert.Equal(1, view.Instances[0].CreateIndex);
        Assert.Equal(f.Time.GetUtcNow(), view.Instances[0].RegisteredAt);
    }

    [Fact]
    public async Task RegisterAsync_SameRegistrationTwice_IsIdempotentAndBumpsNothing()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance());

        var again = await f.Catalog.RegisterAsync(CatalogFixture.Instance());

        Assert.False(again.Created);
        Assert.Equal(1, f.Catalog.Index);
        Assert.Single(f.Catalog.GetService("orders")!.Instances);
    }

    [Fact]
    public async Task RegisterAsync_ChangedTags_ReplacesAndKeepsCreateIndex()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance());

        var updated = await f.Catalog.RegisterAsync(CatalogFixture.Instance(tags: ["v2"]));

        Assert.False(updated.Created);
        Assert.Equal(2, updated.Index);
        var instance = f.Catalog.GetService("orders")!.Instances.Single();
        Assert.Equal(["v2"], instance.Tags);
        Assert.Equal(1, instance.CreateIndex);
        Assert.Equal(2, instance.ModifyIndex);
    }

    [Fact]
    public async Task PerServiceIndex_OtherServiceChanges_DoNotMoveIt()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance("orders"));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance("billing"));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance("billing", port: 9000));

        Assert.Equal(1, f.Catalog.GetService("orders")!.Index);
        Assert.Equal(3, f.Catalog.GetService("billing")!.Index);
        Assert.Equal(3, f.Catalog.Index);
    }

    [Fact]
    public async Task DeregisterAsync_Known_RemovesAndBumps_UnknownReturnsFalse()
    {
        var f = new CatalogFixture();
        var registered = await f.Catalog.RegisterAsync(CatalogFixture.Instance());

        Assert.True(await f.Catalog.DeregisterAsync(registered.Instance.InstanceId));
        Assert.False(await f.Catalog.DeregisterAsync(registered.Instance.InstanceId));
        Assert.False(await f.Catalog.DeregisterAsync("nope"));

        var view = f.Catalog.GetService("orders")!;
        Assert.Empty(view.Instances);
        Assert.Equal(2, view.Index);
        Assert.Equal(0, f.Catalog.InstanceCount);
    }

    [Fact]
    public async Task HeartbeatAsync_UnknownInstance_ReturnsNull()
    {
        var f = new CatalogFixture();
        Assert.Null(await f.Catalog.HeartbeatAsync("ghost"));
    }

    [Fact]
    public async Task Filters_TagVersionMetadataHealthy_AllApply()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1, tags: ["api", "eu"], version: "1.0", metadata: new() { ["team"] = "a" }));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2, tags: ["api"], version: "2.0", metadata: new() { ["team"] = "b" }));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 3, tags: ["eu"], version: "2.0"));
        var view = f.Catalog.GetService("orders")!;

        Assert.Equal(2, view.Filter(new InstanceFilter { Tags = ["api"] }).Count);
        Assert.Single(view.Filter(new InstanceFilter { Tags = ["api", "eu"] }));
        Assert.Equal(2, view.Filter(new InstanceFilter { Version = "2.0" }).Count);
        Assert.Equal(2, view.Filter(new InstanceFilter { Metadata = new Dictionary<string, string> { ["team"] = "b" } }).Single().Port);
        Assert.Empty(view.Filter(new InstanceFilter { Tags = ["api"], Version = "3.0" }));
        Assert.Equal(3, view.Filter(InstanceFilter.HealthyOnly).Count);
    }

    [Fact]
    public async Task ToJson_CachedPerView_NewViewAfterChange()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1));
        var first = f.Catalog.GetService("orders")!;
        var bytes = first.ToJson(InstanceFilter.All);
        Assert.Same(bytes, first.ToJson(InstanceFilter.All));

        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2));

        var second = f.Catalog.GetService("orders")!;
        Assert.NotSame(first, second);
        Assert.Contains("\"port\":2", System.Text.Encoding.UTF8.GetString(second.ToJson(InstanceFilter.All)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PickRoundRobin_CyclesHealthyInstances()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2));

        var ports = Enumerable.Range(0, 4).Select(i => f.Catalog.PickRoundRobin("orders", out _)!.Port).ToList();

        Assert.Equal(2, ports.Distinct().Count());
        Assert.NotEqual(ports[0], ports[1]);
        Assert.Null(f.Catalog.PickRoundRobin("unknown", out bool known));
        Assert.False(known);
    }

    [Fact]
    public async Task ListServices_HealthyAndTagFilters()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance("orders", tags: ["api"]));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance("billing", tags: ["internal"], version: "3.1"));

        var all = f.Catalog.ListServices();
        Assert.Equal(["billing", "orders"], all.Services.Select(s => s.ServiceName));
        Assert.Equal(["3.1"], all.Services[0].Versions);
        Assert.Equal(["orders"], f.Catalog.ListServices(tag: "api").Services.Select(s => s.ServiceName));
        Assert.Equal(2, f.Catalog.ListServices(healthyOnly: true).Total);
    }

    [Fact]
    public async Task CountServices_FollowsEveryChange_AsTheListCountsThem()
    {
        var f = new CatalogFixture();
        Assert.Equal((0, 0), f.Catalog.CountServices());

        await f.Catalog.RegisterAsync(CatalogFixture.Instance("orders"));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance("billing", port: 81, ttl: TimeSpan.FromSeconds(10)));
        Assert.Equal((2, 2), f.Catalog.CountServices());
        Assert.Equal((2, 2), f.Catalog.CountServices()); // the kept counts

        await f.Catalog.HeartbeatAsync("billing-10.0.0.1-81", HealthStatus.Critical);
        Assert.Equal((2, 1), f.Catalog.CountServices());
        Assert.Equal(f.Catalog.ListServices(healthyOnly: true).Total, f.Catalog.CountServices().Healthy);

        await f.Catalog.DeregisterAsync("orders-10.0.0.1-8080");
        Assert.Equal((1, 0), f.Catalog.CountServices());
    }

    [Fact]
    public async Task Events_EveryChange_PublishedInIndexOrder()
    {
        var f = new CatalogFixture();
        using var subscription = f.Catalog.Events.Subscribe();
        var r = await f.Catalog.RegisterAsync(CatalogFixture.Instance());
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(tags: ["x"]));
        await f.Catalog.DeregisterAsync(r.Instance.InstanceId);

        var events = new List<CatalogEvent>();
        while (subscription.Events.TryRead(out var e))
            events.Add(e);

        Assert.Equal([CatalogEventTypes.Registered, CatalogEventTypes.Updated, CatalogEventTypes.Deregistered], events.Select(e => e.Type));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Index));
        Assert.Null(events[2].Instance);
        Assert.Equal(HealthStatus.Critical, events[2].Status);
    }

    [Fact]
    public async Task RegisterAsync_PastMaxInstances_Throws()
    {
        var f = new CatalogFixture();
        f.Options.MaxInstances = 1;
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1));

        await Assert.ThrowsAsync<CatalogFullException>(() => f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2)));
        Assert.Equal(1, f.Catalog.InstanceCount);
    }
}

public sealed class FilteredJsonCacheTests
{
    [Fact]
    public async Task ToJson_SameFilterInAnyOrder_SharesOneSerializationPerView()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1, tags: ["a", "b"]));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2, tags: ["a"]));
        var view = f.Catalog.GetService("orders")!;

        var first = view.ToJson(new InstanceFilter { Tags = ["a", "b"] });
        var second = view.ToJson(new InstanceFilter { Tags = ["b", "a"] });
        var other = view.ToJson(new InstanceFilter { Tags = ["a"] });

        Assert.Same(first, second);
        Assert.NotSame(first, other);
        Assert.Contains("\"port\":1", System.Text.Encoding.UTF8.GetString(first), StringComparison.Ordinal);
        Assert.DoesNotContain("\"port\":2", System.Text.Encoding.UTF8.GetString(first), StringComparison.Ordinal);
    }
}
