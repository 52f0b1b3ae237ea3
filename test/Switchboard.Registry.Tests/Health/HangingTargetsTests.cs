using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Tests.Health;

/// <summary>Health checks keep their interval while thousands of other checks hang until their timeout (all on fake time).</summary>
public sealed class HangingTargetsTests
{
    private const int HangingChecks = 3_000;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private static readonly HealthCheckSpec HangingCheck = new() { Kind = HealthCheckKind.Http, Http = "/hang", Interval = Interval, Timeout = TimeSpan.FromSeconds(5) };

    private static readonly HealthCheckSpec CanaryCheck = new()
    {
        Kind = HealthCheckKind.Http,
        Http = "/canary",
        Interval = Interval,
        Timeout = TimeSpan.FromSeconds(1),
        FailuresBeforeCritical = 2,
    };

    /// <summary>Hangs every probe but the canary's until the check's timeout (then critical, as the real probe reports it); answers the canary at once.</summary>
    private sealed class HangingProbe(TimeProvider time) : IHealthProbe
    {
        private int _canaryProbes;
        private int _hanging;
        private int _maxHanging;

        public volatile bool CanaryFails;

        public int CanaryProbes => Volatile.Read(ref _canaryProbes);

        public int MaxHangingAtOnce => Volatile.Read(ref _maxHanging);

        public Task<(HealthStatus Status, string Output)> ProbeAsync(ServiceInstance instance, HealthCheckSpec check, CancellationToken cancellationToken)
        {
            if (check.Http != "/canary")
                return HangAsync(check, cancellationToken);
            Interlocked.Increment(ref _canaryProbes);
            return Task.FromResult(CanaryFails ? (HealthStatus.Critical, "HTTP GET: 500") : (HealthStatus.Passing, "ok"));
        }

        private async Task<(HealthStatus, string)> HangAsync(HealthCheckSpec check, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _hanging);
            int max;
            while (now > (max = Volatile.Read(ref _maxHanging)) && Interlocked.CompareExchange(ref _maxHanging, now, max) != max)
            {
                // raced with another probe; try again
            }
            try
            {
                await Task.Delay(check.EffectiveTimeout, time, cancellationToken).ConfigureAwait(false);
                return (HealthStatus.Critical, "HTTP GET: timed out after 5s");
            }
            finally
            {
                Interlocked.Decrement(ref _hanging);
            }
        }
    }

    private sealed record Setup(CatalogFixture F, HealthCheckScheduler Scheduler, HangingProbe Probe, string CanaryId);

    private static async Task<Setup> StartAsync(int? maxConcurrentChecks = null, ListLogger<HealthCheckScheduler>? logger = null)
    {
        var f = new CatalogFixture();
        if (maxConcurrentChecks is { } limit)
            f.Options.MaxConcurrentChecks = limit;
        var probe = new HangingProbe(f.Time);
        var scheduler = new HealthCheckScheduler(f.Catalog, probe, f.Time, logger ?? (ILogger<HealthCheckScheduler>)NullLogger<HealthCheckScheduler>.Instance);
        for (var i = 0; i < HangingChecks; i++)
            await f.Catalog.RegisterAsync(HangingInstance(i));
        var canary = await f.Catalog.RegisterAsync(CatalogFixture.Instance(service: "canary", check: CanaryCheck));
        return new Setup(f, scheduler, probe, canary.Instance.InstanceId);
    }

    /// <summary>Instance <paramref name="i"/> of the hanging service: all of them on one host:port, as behind one endpoint.</summary>
    private static ServiceInstance HangingInstance(int i)
    {
        var errors = RegistrationValidator.Validate(new ServiceRegistration
        {
            ServiceName = "hanging",
            InstanceId = $"hang-{i}",
            Host = "10.0.0.9",
            Port = 8080,
            Ttl = TimeSpan.Zero,
            Check = HangingCheck,
        }, null, out var instance);
        Assert.Empty(errors);
        return instance!;
    }

    /// <summary>Moves fake time on tick by tick, starting due probes on each tick as the background loop does.</summary>
    private static void Advance(Setup s, TimeSpan span)
    {
        for (var t = TimeSpan.Zero; t < span; t += Tick)
        {
            s.F.Time.Advance(Tick);
            s.Scheduler.StartDue(TestContext.Current.CancellationToken);
        }
    }

    private static HealthStatus CanaryStatus(Setup s) => s.F.Catalog.GetInstance(s.CanaryId)!.Instance.Status;

    private static int HealthyHanging(Setup s) => s.F.Catalog.GetService("hanging")!.HealthyCount;

    [Fact]
    public async Task ThreeThousandHangingChecks_CanaryProbedEveryInterval_AndTurnsCriticalWithinItsThreshold()
    {
        var s = await StartAsync();
        Advance(s, Interval * 2); // every check has had its first probe start
        var before = s.Probe.CanaryProbes;

        Advance(s, Interval * 10);

        Assert.InRange(s.Probe.CanaryProbes - before, 9, 11);
        Assert.Equal(HealthStatus.Passing, CanaryStatus(s));

        s.Probe.CanaryFails = true;
        Advance(s, Interval * (1 + CanaryCheck.EffectiveFailuresBeforeCritical)); // the threshold's probes, plus the wait for the next one
        Assert.Equal(HealthStatus.Critical, CanaryStatus(s));
        Assert.Equal(0, s.Scheduler.LateProbes);
    }

    [Fact]
    public async Task ThreeThousandHangingChecks_AllTurnCriticalAfterTheirTimeout()
    {
        var s = await StartAsync();

        Advance(s, Interval + HangingCheck.EffectiveTimeout + Tick); // the last first probe starts within an interval, then times out

        Assert.Equal(0, HealthyHanging(s));
        Assert.Equal(HangingChecks, s.Probe.MaxHangingAtOnce); // none waited for a slot behind another target's probe
    }

    [Fact]
    public async Task HangingCheck_NotProbedAgainWhileItsProbeRuns()
    {
        var s = await StartAsync();
        Advance(s, Interval + Tick);
        var running = s.Scheduler.Running;

        Advance(s, HangingCheck.EffectiveTimeout - Interval - Tick); // several intervals, but before the first probes time out

        Assert.Equal(HangingChecks, s.Probe.MaxHangingAtOnce);
        Assert.Equal(running, s.Scheduler.Running);
    }

    [Fact]
    public async Task LimitReached_CanaryStillProbedEveryInterval_HangingProbesCountedLate()
    {
        var log = new ListLogger<HealthCheckScheduler>();
        var s = await StartAsync(maxConcurrentChecks: 100, log);
        Advance(s, HangingCheck.EffectiveTimeout * 2); // the canary's first probe has had its turn among the targets
        var before = s.Probe.CanaryProbes;

        Advance(s, Interval * 10);

        Assert.InRange(s.Probe.CanaryProbes - before, 9, 11);
        Assert.InRange(s.Probe.MaxHangingAtOnce, 1, 75); // a quarter of the 100 slots stays free for checks that answer
        Assert.True(s.Scheduler.LateProbes > 0, "hanging probes waited for slots and were not counted late");
        Assert.True(s.Scheduler.WaitingForSlot > 0);
        var warning = Assert.Single(log.Entries, e => e.Event == "HealthCheckProbesLate"); // one summary per 30 s, not a line per probe
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("probe slots in use", warning.Message, StringComparison.Ordinal);
    }
}
