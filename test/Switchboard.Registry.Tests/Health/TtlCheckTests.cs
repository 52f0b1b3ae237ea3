using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Registry.Tests.Health;

public sealed class TtlCheckTests
{
    private static readonly HealthCheckSpec Check = new() { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task NoReportWithinTtl_TurnsCritical_ReportBringsItBack()
    {
        var f = new CatalogFixture();
        var id = (await f.Catalog.RegisterAsync(CatalogFixture.Instance(check: Check))).Instance.InstanceId;

        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.Catalog.HeartbeatAsync(id);
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await f.Catalog.SweepAsync();
        Assert.Equal(HealthStatus.Passing, f.Catalog.GetInstance(id)!.Instance.Status);

        f.Time.Advance(TimeSpan.FromSeconds(5));
        await f.Catalog.SweepAsync();
        var critical = f.Catalog.GetInstance(id)!;
        Assert.Equal(HealthStatus.Critical, critical.Instance.Status);
        Assert.Contains("TTL expired", critical.Instance.Output, StringComparison.Ordinal);

        var hb = await f.Catalog.HeartbeatAsync(id, HealthStatus.Passing, "back");
        Assert.Equal(HealthStatus.Passing, hb!.Instance.Status);
        f.Time.Advance(TimeSpan.FromSeconds(16));
        await f.Catalog.SweepAsync();
        Assert.Equal(HealthStatus.Critical, f.Catalog.GetInstance(id)!.Instance.Status);
    }

    [Fact]
    public async Task ReportedWarning_IsRecorded_AndBumpsIndexOnce()
    {
        var f = new CatalogFixture();
        var id = (await f.Catalog.RegisterAsync(CatalogFixture.Instance(check: Check))).Instance.InstanceId;

        await f.Catalog.HeartbeatAsync(id, HealthStatus.Warning, "disk 91%");
        await f.Catalog.HeartbeatAsync(id, HealthStatus.Warning, "disk 92%");

        Assert.Equal(HealthStatus.Warning, f.Catalog.GetInstance(id)!.Instance.Status);
        Assert.Equal(2, f.Catalog.Index);
        Assert.Equal("disk 92%", f.Catalog.GetInstance(id)!.LatestOutput);
    }

    [Fact]
    public async Task HttpCheckedInstance_IgnoresReportedStatus()
    {
        var f = new CatalogFixture();
        var id = (await f.Catalog.RegisterAsync(CatalogFixture.Instance(check: new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/h" }))).Instance.InstanceId;

        var hb = await f.Catalog.HeartbeatAsync(id, HealthStatus.Critical);

        Assert.Equal(HealthStatus.Passing, hb!.Instance.Status);
    }
}
