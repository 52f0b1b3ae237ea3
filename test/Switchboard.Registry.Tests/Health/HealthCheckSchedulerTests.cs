using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Tests.Health;

public sealed class HealthCheckSchedulerTests
{
    private static readonly HealthCheckSpec Check = new()
    {
        Kind = HealthCheckKind.Http,
        Http = "/health",
        Interval = TimeSpan.FromSeconds(10),
        FailuresBeforeCritical = 3,
        SuccessesBeforePassing = 2,
        DeregisterCriticalAfter = TimeSpan.FromMinutes(1),
    };

    private sealed class SwitchProbe : IHealthProbe
    {
        public HealthStatus Next { get; set; } = HealthStatus.Passing;

        public int Calls { get; private set; }

        public Task<(HealthStatus Status, string Output)> ProbeAsync(ServiceInstance instance, HealthCheckSpec check, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult((Next, Next == HealthStatus.Passing ? """{"status":"healthy","uptime":3600}""" : "HTTP GET: 500"));
        }
    }

    private static async Task<(CatalogFixture F, HealthCheckScheduler Scheduler, SwitchProbe Probe, string Id)> StartAsync()
    {
        var f = new CatalogFixture();
        var probe = new SwitchProbe();
        var scheduler = new HealthCheckScheduler(f.Catalog, probe, f.Time, NullLogger<HealthCheckScheduler>.Instance);
        var r = await f.Catalog.RegisterAsync(CatalogFixture.Instance(check: Check));
        return (f, scheduler, probe, r.Instance.InstanceId);
    }

    private static async Task<int> ProbeRoundAsync(CatalogFixture f, HealthCheckScheduler scheduler)
    {
        f.Time.Advance(TimeSpan.FromSeconds(10));
        return await scheduler.RunDueAsync();
    }

    private static HealthStatus StatusOf(CatalogFixture f, string id) => f.Catalog.GetInstance(id)!.Instance.Status;

    [Fact]
    public async Task FirstProbe_SpreadWithinFirstInterval()
    {
        var (f, scheduler, probe, _) = await StartAsync();
        Assert.Equal(1, scheduler.Scheduled);
        Assert.InRange(scheduler.NextDue!.Value, f.Time.GetUtcNow(), f.Time.GetUtcNow() + Check.EffectiveInterval);

        Assert.Equal(1, await ProbeRoundAsync(f, scheduler));
        Assert.Equal(1, probe.Calls);
    }

    [Fact]
    public async Task Failures_TurnCriticalOnlyAtThreshold_ThenPassingAfterSuccessThreshold()
    {
        var (f, scheduler, probe, id) = await StartAsync();
        probe.Next = HealthStatus.Critical;

        await ProbeRoundAsync(f, scheduler);
        await ProbeRoundAsync(f, scheduler);
        Assert.Equal(HealthStatus.Passing, StatusOf(f, id));
        await ProbeRoundAsync(f, scheduler);
        Assert.Equal(HealthStatus.Critical, StatusOf(f, id));
        Assert.Equal(0, f.Catalog.GetService("orders")!.HealthyCount);

        probe.Next = HealthStatus.Passing;
        await ProbeRoundAsync(f, scheduler);
        Assert.Equal(HealthStatus.Critical, StatusOf(f, id));
        await ProbeRoundAsync(f, scheduler);
        Assert.Equal(HealthStatus.Passing, StatusOf(f, id));
    }

    [Fact]
    public async Task Warning_AppliesAtOnceWhenNotCritical()
    {
        var (f, scheduler, probe, id) = await StartAsync();
        probe.Next = HealthStatus.Warning;
        await ProbeRoundAsync(f, scheduler);
        Assert.Equal(HealthStatus.Warning, StatusOf(f, id));
        Assert.Equal(1, f.Catalog.GetService("orders")!.HealthyCount);
    }

    [Fact]
    public async Task CriticalForDeregisterAfter_InstanceIsReaped()
    {
        var (f, scheduler, probe, id) = await StartAsync();
        using var events = f.Catalog.Events.Subscribe();
        probe.Next = HealthStatus.Critical;
        for (var i = 0; i < 3; i++)
            await ProbeRoundAsync(f, scheduler);
        Assert.Equal(HealthStatus.Critical, StatusOf(f, id));

        f.Time.Advance(TimeSpan.FromSeconds(59));
        await f.Catalog.SweepAsync();
        Assert.NotNull(f.Catalog.GetInstance(id));

        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.Catalog.SweepAsync();
        Assert.Null(f.Catalog.GetInstance(id));
        var types = new List<string>();
        while (events.Events.TryRead(out var e))
            types.Add(e.Type);
        Assert.Equal([CatalogEventTypes.StatusChanged, CatalogEventTypes.Reaped], types);
    }

    [Fact]
    public async Task RecoveredBeforeDeregisterAfter_NotReaped()
    {
        var (f, scheduler, probe, id) = await StartAsync();
        probe.Next = HealthStatus.Critical;
        for (var i = 0; i < 3; i++)
            await ProbeRoundAsync(f, scheduler);
        probe.Next = HealthStatus.Passing;
        await ProbeRoundAsync(f, scheduler);
        await ProbeRoundAsync(f, scheduler);

        f.Time.Advance(TimeSpan.FromMinutes(2));
        await f.Catalog.SweepAsync();
        Assert.Equal(HealthStatus.Passing, StatusOf(f, id));
    }

    [Fact]
    public async Task Deregistered_NoLongerProbed()
    {
        var (f, scheduler, probe, id) = await StartAsync();
        await f.Catalog.DeregisterAsync(id);
        Assert.Equal(0, await ProbeRoundAsync(f, scheduler));
        Assert.Equal(0, probe.Calls);
    }

    [Fact]
    public async Task AggregatedHealth_ShowsJsonBodyOfLastCheckAsHealthData()
    {
        var (f, scheduler, _, _) = await StartAsync();
        await ProbeRoundAsync(f, scheduler);

        var health = f.Catalog.GetAggregatedHealth();

        Assert.Equal("healthy", health.OverallStatus);
        Assert.Equal(3600, health.Services["orders"].HealthData!.Value.GetProperty("uptime").GetInt32());
    }
}
