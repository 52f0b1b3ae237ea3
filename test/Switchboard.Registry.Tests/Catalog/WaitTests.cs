namespace Switchboard.Registry.Tests.Catalog;

public sealed class WaitTests
{
    [Fact]
    public async Task WaitForServiceAsync_IndexBehind_ReturnsAtOnce()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance());

        var view = await f.Catalog.WaitForServiceAsync("orders", 0, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(1, view!.Index);
    }

    [Fact]
    public async Task WaitForServiceAsync_WokenByChangeOfThatService_NotByOthers()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance());
        var wait = f.Catalog.WaitForServiceAsync("orders", 1, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        await f.Catalog.RegisterAsync(CatalogFixture.Instance("billing"));
        Assert.False(wait.IsCompleted);

        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 9))
            ;
        var view = await wait;
        Assert.Equal(3, view!.Index);
        Assert.Equal(2, view.Instances.Count);
    }

    [Fact]
    public async Task WaitForServiceAsync_NoChange_ReturnsSameIndexWhenWaitEnds()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance());
        var wait = f.Catalog.WaitForServiceAsync("orders", 1, TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        f.Time.Advance(TimeSpan.FromSeconds(29));
        await Task.Yield();
        Assert.False(wait.IsCompleted);
        f.Time.Advance(TimeSpan.FromSeconds(1));

        var view = await wait;
        Assert.Equal(1, view!.Index);
    }

    [Fact]
    public async Task WaitForServiceAsync_UnknownService_WokenWhenItAppears()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance("billing"));
        var wait = f.Catalog.WaitForServiceAsync("orders", 0, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        Assert.False(wait.IsCompleted);

        await f.Catalog.RegisterAsync(CatalogFixture.Instance("orders"));

        var view = await wait;
        Assert.Equal(2, view!.Index);
    }

    [Fact]
    public async Task WaitForServiceAsync_Deregistration_Wakes()
    {
        var f = new CatalogFixture();
        var r = await f.Catalog.RegisterAsync(CatalogFixture.Instance());
        var wait = f.Catalog.WaitForServiceAsync("orders", 1, TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        await f.Catalog.DeregisterAsync(r.Instance.InstanceId);

        var view = await wait;
        Assert.Empty(view!.Instances);
        Assert.Equal(2, view.Index);
    }
}
