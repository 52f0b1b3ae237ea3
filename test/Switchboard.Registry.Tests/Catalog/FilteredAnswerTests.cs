using System.Text.Json;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;

namespace Switchboard.Registry.Tests.Catalog;

/// <summary>The native filtered answers cached on a view (<see cref="ServiceView.ToJson"/>) are the bytes a fresh serialization gives, through every kind of change.</summary>
public sealed class FilteredAnswerTests
{
    private static readonly InstanceFilter[] Filters =
    [
        InstanceFilter.All,
        InstanceFilter.HealthyOnly,
        new() { Tags = ["api"] },
        new() { Tags = ["api"], Healthy = true },
        new() { Tags = ["eu", "api"] },
        new() { Version = "2.0" },
        new() { Version = "2.0", Healthy = true },
        new() { Tags = ["api"], Version = "1.0", Healthy = true },
        new() { Metadata = new Dictionary<string, string> { ["team"] = "a" } },
        new() { Tags = ["nobody"] },
    ];

    [Fact]
    public async Task CachedFilteredAnswers_EqualAFreshSerialization_ThroughEveryChange()
    {
        var f = new CatalogFixture();
        AssertSame(f, "no service");
        var ttl = new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(30) };
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1, tags: ["api", "eu"], version: "1.0", metadata: new() { ["team"] = "a" }, check: ttl));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2, tags: ["api"], version: "2.0"));
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 3, tags: ["eu"], version: "2.0"));
        AssertSame(f, "registered");
        var ids = f.Catalog.GetService("orders")!.Instances.Select(i => i.InstanceId).ToArray();
        var ttlCheck = f.Catalog.GetService("orders")!.Instances[0].Checks.Single().CheckId;

        await f.Catalog.UpdateCheckAsync(ttlCheck, HealthStatus.Passing, "ok", TestContext.Current.CancellationToken);
        AssertSame(f, "check passing");
        await f.Catalog.UpdateCheckAsync(ttlCheck, HealthStatus.Critical, "down", TestContext.Current.CancellationToken);
        AssertSame(f, "check critical");
        await f.Catalog.HeartbeatAsync(ids[1], HealthStatus.Warning, "slow", TestContext.Current.CancellationToken);
        AssertSame(f, "heartbeat warning");
        await f.Catalog.SetMaintenanceAsync(ids[2], true, "patching", TestContext.Current.CancellationToken);
        AssertSame(f, "maintenance on");
        await f.Catalog.SetMaintenanceAsync(ids[2], false, null, TestContext.Current.CancellationToken);
        AssertSame(f, "maintenance off");
        await f.Catalog.DeregisterAsync(ids[0], TestContext.Current.CancellationToken);
        AssertSame(f, "deregistered one");
        await f.Catalog.DeregisterAsync(ids[1], TestContext.Current.CancellationToken);
        await f.Catalog.DeregisterAsync(ids[2], TestContext.Current.CancellationToken);
        AssertSame(f, "service empty");
    }

    [Fact]
    public async Task FilteredAnswer_IsKeptPerView_ForEqualFiltersInAnyOrder_UpToTheCap()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1, tags: ["api", "eu"], version: "1.0"));
        var view = f.Catalog.GetService("orders")!;

        var first = view.ToJson(new InstanceFilter { Tags = ["api", "eu"], Version = "1.0" });
        Assert.Same(first, view.ToJson(new InstanceFilter { Tags = ["eu", "api", "eu"], Version = "1.0" }));
        Assert.NotSame(first, view.ToJson(new InstanceFilter { Tags = ["api", "eu"], Version = "1.0", Healthy = true }));

        for (var i = 0; i < ServiceView.MaxFilteredAnswers; i++)
            _ = view.ToJson(new InstanceFilter { Tags = [$"t{i}"] });
        var pastTheCap = new InstanceFilter { Version = "9.9" };
        Assert.NotSame(view.ToJson(pastTheCap), view.ToJson(pastTheCap));
        Assert.Equal("[]"u8.ToArray(), view.ToJson(pastTheCap));

        await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2, tags: ["api", "eu"], version: "1.0"));
        var next = f.Catalog.GetService("orders")!;
        Assert.NotSame(view, next);
        Assert.Equal(2, JsonDocument.Parse(next.ToJson(new InstanceFilter { Tags = ["api", "eu"], Version = "1.0" })).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task OutputVersion_MovesOnADifferentOutput_NotOnTheSameOne()
    {
        var f = new CatalogFixture();
        var ttl = new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(30) };
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(check: ttl));
        var view = f.Catalog.GetService("orders")!;
        var checkId = view.Instances[0].Checks.Single().CheckId;
        await f.Catalog.UpdateCheckAsync(checkId, HealthStatus.Passing, "one", TestContext.Current.CancellationToken);
        view = f.Catalog.GetService("orders")!;
        var version = view.OutputVersion;

        await f.Catalog.UpdateCheckAsync(checkId, HealthStatus.Passing, "one", TestContext.Current.CancellationToken);
        Assert.Equal(version, view.OutputVersion);
        await f.Catalog.UpdateCheckAsync(checkId, HealthStatus.Passing, "two", TestContext.Current.CancellationToken);
        Assert.Same(view, f.Catalog.GetService("orders")); // output only: no new view
        Assert.True(view.OutputVersion > version);
    }

    private static void AssertSame(CatalogFixture f, string step)
    {
        var view = f.Catalog.GetService("orders");
        if (view is null)
            return;
        foreach (var filter in Filters)
        {
            for (var read = 0; read < 2; read++)
            {
                var fresh = JsonSerializer.SerializeToUtf8Bytes(view.Filter(filter), SwitchboardJsonContext.Default.IReadOnlyListServiceInstance);
                var cached = view.ToJson(filter);
                Assert.True(fresh.AsSpan().SequenceEqual(cached), $"{step}: tags [{string.Join(',', filter.Tags)}], version {filter.Version}, metadata {filter.Metadata.Count}, healthy {filter.Healthy} (read {read + 1})");
            }
        }
    }
}
