using Switchboard.Api;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Catalog;

public sealed class LeaseTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SweepAsync_LeaseNotRenewed_RemovesAtDeadline()
    {
        var f = new CatalogFixture();
        using var events = f.Catalog.Events.Subscribe();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(ttl: Ttl));

        f.Time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal(0, await f.Catalog.SweepAsync());
        Assert.True(f.Catalog.HasService("orders"));

        f.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(1, await f.Catalog.SweepAsync());
        Assert.False(f.Catalog.HasService("orders"));
        events.Events.TryRead(out _);
        Assert.True(events.Events.TryRead(out var expired));
        Assert.Equal(CatalogEventTypes.Expired, expired.Type);
    }

    [Fact]
    public async Task HeartbeatAsync_RenewsLease_WithoutBumpingIndex()
    {
        var f = new CatalogFixture();
        var r = await f.Catalog.RegisterAsync(CatalogFixture.Instance(ttl: Ttl));

        for (var i = 0; i < 5; i++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(8));
            var hb = await f.Catalog.HeartbeatAsync(r.Instance.InstanceId);
            Assert.NotNull(hb);
            Assert.Equal(f.Time.GetUtcNow() + Ttl, hb.LeaseExpiresAt);
            await f.Catalog.SweepAsync();
        }

        Assert.True(f.Catalog.HasService("orders"));
        Assert.Equal(1, f.Catalog.Index);
        f.Time.Advance(Ttl);
        await f.Catalog.SweepAsync();
        Assert.False(f.Catalog.HasService("orders"));
        Assert.Null(await f.Catalog.HeartbeatAsync(r.Instance.InstanceId));
    }

    [Fact]
    public async Task SweepAsync_TenThousandLeasesAtOnce_AllLeaveInOneSweep()
    {
        var f = new CatalogFixture();
        for (var i = 0; i < 10_000; i++)
            await f.Catalog.RegisterAsync(CatalogFixture.Instance($"svc-{i % 1000}", port: 1000 + i, ttl: Ttl));
        var survivor = await f.Catalog.RegisterAsync(CatalogFixture.Instance("keeper", ttl: TimeSpan.FromMinutes(5)));

        f.Time.Advance(Ttl);
        var removed = await f.Catalog.SweepAsync();

        Assert.Equal(10_000, removed);
        Assert.Equal(1, f.Catalog.InstanceCount);
        Assert.NotNull(f.Catalog.GetInstance(survivor.Instance.InstanceId));
        Assert.Equal(1, f.Catalog.QueuedDeadlines);
    }

    [Fact]
    public async Task SweepAsync_NothingDue_TouchesOnlyTheQueueHead()
    {
        var f = new CatalogFixture();
        for (var i = 0; i < 1000; i++)
            await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1000 + i, ttl: Ttl));
        for (var round = 0; round < 3; round++)
        {
            f.Time.Advance(TimeSpan.FromSeconds(5));
            foreach (var instance in f.Catalog.GetService("orders")!.Instances)
                await f.Catalog.HeartbeatAsync(instance.InstanceId);
            await f.Catalog.SweepAsync();
        }

        // Renewals never add queue entries: one entry per instance, however often they heartbeat.
        Assert.Equal(1000, f.Catalog.QueuedDeadlines);
        Assert.Equal(1000, f.Catalog.InstanceCount);
    }

    [Fact]
    public async Task LoadAsync_RestoredLeases_GetGracePeriod()
    {
        var store = new SnapshotStore(new StoreSnapshot(42, [CatalogFixture.Instance(ttl: Ttl) with { CreateIndex = 40, ModifyIndex = 42 }]));
        var f = new CatalogFixture(store);
        await f.Catalog.LoadAsync();
        Assert.Equal(42, f.Catalog.Index);

        f.Time.Advance(Ttl + TimeSpan.FromSeconds(29));
        await f.Catalog.SweepAsync();
        Assert.True(f.Catalog.HasService("orders"));

        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.Catalog.SweepAsync();
        Assert.False(f.Catalog.HasService("orders"));
        Assert.Equal(43, f.Catalog.Index);
    }

    [Fact]
    public async Task NoLease_NeverExpires()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(ttl: TimeSpan.Zero));
        f.Time.Advance(TimeSpan.FromDays(30));
        await f.Catalog.SweepAsync();
        Assert.True(f.Catalog.HasService("orders"));
        Assert.Null(f.Catalog.GetInstance("orders-10.0.0.1-8080")!.LeaseExpiresAt);
    }
}
