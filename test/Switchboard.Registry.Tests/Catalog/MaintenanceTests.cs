using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Catalog;

/// <summary>Maintenance: a critical, never-probed check whose output is the reason; it drains the instance and outlives re-registrations.</summary>
public sealed class MaintenanceTests
{
    private static readonly HealthCheckSpec Ttl = new() { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromMinutes(5) };

    [Fact]
    public async Task Maintenance_DrainsTheInstance_ShowsTheReason_AndEndingItRestoresTheChecksStatus()
    {
        var f = new CatalogFixture();
        var id = (await f.Catalog.RegisterAsync(CatalogFixture.Instance(check: Ttl))).Instance.InstanceId;

        var during = await f.Catalog.SetMaintenanceAsync(id, enable: true, "kernel upgrade");
        Assert.Equal(HealthStatus.Critical, during!.Status);
        var check = Assert.Single(during.Checks, c => c.CheckId == ServiceCatalog.MaintenanceCheckId(id));
        Assert.Equal("kernel upgrade", check.Output);
        Assert.Null(f.Catalog.PickRoundRobin("orders", out var known));
        Assert.True(known);
        await f.Catalog.HeartbeatAsync(id, HealthStatus.Passing, "fine");
        Assert.Equal(HealthStatus.Critical, f.Catalog.GetInstance(id)!.Instance.Status); // its own reports do not end maintenance

        var after = await f.Catalog.SetMaintenanceAsync(id, enable: false, null);
        Assert.Equal(HealthStatus.Passing, after!.Status);
        Assert.DoesNotContain(after.Checks, c => c.CheckId.StartsWith(ServiceCatalog.MaintenanceCheckPrefix, StringComparison.Ordinal));
        Assert.NotNull(f.Catalog.PickRoundRobin("orders", out _));
    }

    [Fact]
    public async Task AnInstanceWithoutChecks_ComesBackPassing_AndAnEmptyReasonGetsTheDefaultSentence()
    {
        var f = new CatalogFixture();
        var id = (await f.Catalog.RegisterAsync(CatalogFixture.Instance())).Instance.InstanceId;

        var during = await f.Catalog.SetMaintenanceAsync(id, enable: true, "  ");
        Assert.Equal(ServiceCatalog.DefaultMaintenanceReason, Assert.Single(during!.Checks).Output);
        var index = f.Catalog.Index;
        Assert.Same(during, await f.Catalog.SetMaintenanceAsync(id, enable: true, null)); // already in: nothing changes
        Assert.Equal(index, f.Catalog.Index);

        var after = await f.Catalog.SetMaintenanceAsync(id, enable: false, null);
        Assert.Equal(HealthStatus.Passing, after!.Status);
        Assert.Empty(after.Checks);
        Assert.Null(await f.Catalog.SetMaintenanceAsync("nobody", enable: true, null));
    }

    [Fact]
    public async Task AnInstanceWithoutChecks_EnteringAndLeavingMaintenance_RecordsBothTransitions()
    {
        var f = new CatalogFixture();
        var id = (await f.Catalog.RegisterAsync(CatalogFixture.Instance())).Instance.InstanceId;

        await f.Catalog.SetMaintenanceAsync(id, enable: true, "kernel upgrade");
        await f.Catalog.SetMaintenanceAsync(id, enable: false, null);

        var transitions = f.Catalog.GetInstanceDetails(id)!.Transitions;
        Assert.Equal(2, transitions.Count);
        Assert.Equal((HealthStatus.Passing, HealthStatus.Critical, "kernel upgrade"), (transitions[0].From, transitions[0].To, transitions[0].Output));
        Assert.Equal((HealthStatus.Critical, HealthStatus.Passing), (transitions[1].From, transitions[1].To));
        Assert.All(transitions, t => Assert.Equal("", t.CheckId)); // the instance's own: no check of its own changed
    }

    [Fact]
    public async Task AReRegistration_KeepsMaintenance_AndAnUnchangedOneBumpsNoIndex()
    {
        var f = new CatalogFixture();
        var registration = CatalogFixture.Instance(check: Ttl);
        var id = (await f.Catalog.RegisterAsync(registration)).Instance.InstanceId;
        await f.Catalog.SetMaintenanceAsync(id, enable: true, "draining");
        var index = f.Catalog.Index;

        await f.Catalog.RegisterAsync(registration);
        Assert.Equal(index, f.Catalog.Index);
        var changed = await f.Catalog.RegisterAsync(registration with { Tags = ["moved"] });
        Assert.Equal(HealthStatus.Critical, changed.Instance.Status);
        Assert.Equal("draining", changed.Instance.Checks[^1].Output);
    }

    [Fact]
    public async Task Maintenance_IsStored_AndSurvivesARestart()
    {
        var dir = Directory.CreateTempSubdirectory("sb-maintenance-").FullName;
        try
        {
            string id;
            await using (var store = new EmbeddedRegistryStore(Microsoft.Extensions.Options.Options.Create(new EmbeddedStoreOptions { DataDirectory = dir }), Microsoft.Extensions.Logging.Abstractions.NullLogger<EmbeddedRegistryStore>.Instance))
            {
                var f = new CatalogFixture(store);
                await f.Catalog.LoadAsync();
                id = (await f.Catalog.RegisterAsync(CatalogFixture.Instance())).Instance.InstanceId;
                await f.Catalog.SetMaintenanceAsync(id, enable: true, "rack move");
            }
            await using (var store = new EmbeddedRegistryStore(Microsoft.Extensions.Options.Options.Create(new EmbeddedStoreOptions { DataDirectory = dir }), Microsoft.Extensions.Logging.Abstractions.NullLogger<EmbeddedRegistryStore>.Instance))
            {
                var f = new CatalogFixture(store);
                await f.Catalog.LoadAsync();
                var instance = f.Catalog.GetInstance(id)!.Instance;
                Assert.Equal(HealthStatus.Critical, instance.Status);
                Assert.Equal("rack move", Assert.Single(instance.Checks).Output);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task StatusChanges_AreKeptAsTransitions_WithTheLastProbeTime()
    {
        var f = new CatalogFixture();
        var id = (await f.Catalog.RegisterAsync(CatalogFixture.Instance(check: Ttl))).Instance.InstanceId;
        var checkId = f.Catalog.GetInstance(id)!.Instance.Checks[0].CheckId;

        await f.Catalog.HeartbeatAsync(id, HealthStatus.Critical, "down");
        f.Time.Advance(TimeSpan.FromSeconds(3));
        await f.Catalog.HeartbeatAsync(id, HealthStatus.Passing, "up");
        for (var i = 0; i < ServiceCatalog.MaxTransitions; i++)
            await f.Catalog.HeartbeatAsync(id, i % 2 == 0 ? HealthStatus.Warning : HealthStatus.Passing, $"flap {i}");

        var runtime = f.Catalog.GetInstanceDetails(id)!;
        Assert.Equal(ServiceCatalog.MaxTransitions, runtime.Transitions.Count);
        Assert.Equal(new StatusTransition(checkId, HealthStatus.Warning, HealthStatus.Passing, f.Time.GetUtcNow(), f.Catalog.Index, $"flap {ServiceCatalog.MaxTransitions - 1}"), runtime.Transitions[^1]);
        Assert.Equal(f.Time.GetUtcNow(), Assert.Single(runtime.Checks).LastProbeAt);
    }
}
