using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Registry.Tests.Catalog;

/// <summary>The catalog-wide wait, the published index and the check lookup (added for the Consul API).</summary>
public sealed class CatalogWaitTests
{
    [Fact]
    public async Task WaitForCatalogChangeAsync_WokenByAnyService()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance());
        var wait = f.Catalog.WaitForCatalogChangeAsync(1, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.False(wait.IsCompleted);

        await f.Catalog.RegisterAsync(CatalogFixture.Instance("billing"));

        Assert.Equal(2, await wait);
        Assert.Equal(2, f.Catalog.PublishedIndex);
    }

    [Fact]
    public async Task WaitForCatalogChangeAsync_IndexBehind_ReturnsAtOnce()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance());

        Assert.Equal(1, await f.Catalog.WaitForCatalogChangeAsync(0, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WaitForCatalogChangeAsync_NoChange_ReturnsSameIndexWhenWaitEnds()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance());
        var wait = f.Catalog.WaitForCatalogChangeAsync(1, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        f.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(wait.IsCompleted);
        f.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await wait);
    }

    [Fact]
    public async Task PublishedIndex_FollowsDeregistrationsAndStatusChanges()
    {
        var f = new CatalogFixture();
        var instance = CatalogFixture.Instance(check: new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(10), Id = "ttl" });
        await f.Catalog.RegisterAsync(instance);
        await f.Catalog.UpdateCheckAsync("ttl", HealthStatus.Critical, "down", TestContext.Current.CancellationToken);
        await f.Catalog.DeregisterAsync(instance.InstanceId, TestContext.Current.CancellationToken);

        Assert.Equal(3, f.Catalog.Index);
        Assert.Equal(3, f.Catalog.PublishedIndex);
        Assert.Equal(3, f.Catalog.ListServices().Index);
    }

    [Fact]
    public async Task FindCheck_OwnerAndLatestOutput_EvenWhenOnlyTheOutputChanged()
    {
        var f = new CatalogFixture();
        var instance = CatalogFixture.Instance(check: new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(10), Id = "ttl", InitialStatus = HealthStatus.Passing });
        await f.Catalog.RegisterAsync(instance);

        await f.Catalog.UpdateCheckAsync("ttl", HealthStatus.Passing, "still fine", TestContext.Current.CancellationToken);

        var found = f.Catalog.FindCheck("ttl");
        Assert.Equal(instance.InstanceId, found!.InstanceId);
        Assert.Equal("still fine", found.LatestOutput);
        Assert.Equal(1, f.Catalog.Index); // an output-only report bumps no index
        Assert.Null(f.Catalog.FindCheck("nope"));

        await f.Catalog.DeregisterAsync(instance.InstanceId, TestContext.Current.CancellationToken);
        Assert.Null(f.Catalog.FindCheck("ttl"));
    }
}
