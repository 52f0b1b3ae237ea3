using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Tests.Health;

/// <summary>One check never has two probes running, also when a re-registration replaces it while its probe hangs.</summary>
public sealed class ProbeOverlapTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Hangs every probe until the check's timeout, recording how many ran at once per check id.</summary>
    private sealed class HangingProbe(TimeProvider time) : IHealthProbe
    {
        private readonly Dictionary<string, int> _running = [];

        public int Started { get; private set; }

        public int MostAtOnce { get; private set; }

        public async Task<(HealthStatus Status, string Output)> ProbeAsync(ServiceInstance instance, HealthCheckSpec check, CancellationToken cancellationToken)
        {
            lock (_running)
            {
                Started++;
                var now = _running[check.Id!] = _running.GetValueOrDefault(check.Id!) + 1;
                MostAtOnce = Math.Max(MostAtOnce, now);
            }
            try
            {
                await Task.Delay(check.EffectiveTimeout, time, cancellationToken).ConfigureAwait(false);
                return (HealthStatus.Critical, "timed out");
            }
            finally
            {
                lock (_running)
                    _running[check.Id!]--;
            }
        }
    }

    private static ServiceInstance Web(TimeSpan interval)
    {
        var errors = RegistrationValidator.Validate(new ServiceRegistration
        {
            ServiceName = "web",
            Host = "10.0.0.1",
            Port = 80,
            Ttl = TimeSpan.Zero,
            Check = new HealthCheckSpec { Id = "web-http", Kind = HealthCheckKind.Http, Http = "/health", Interval = interval, Timeout = TimeSpan.FromSeconds(5) },
        }, null, out var instance);
        Assert.Empty(errors);
        return instance!;
    }

    private static void Advance(CatalogFixture f, HealthCheckScheduler scheduler, TimeSpan span)
    {
        for (var t = TimeSpan.Zero; t < span; t += Tick)
        {
            f.Time.Advance(Tick);
            scheduler.StartDue(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task ReRegisteredWhileItsProbeHangs_NewCheckWaitsForTheOldProbe()
    {
        var f = new CatalogFixture();
        var probe = new HangingProbe(f.Time);
        using var scheduler = new HealthCheckScheduler(f.Catalog, probe, f.Time, NullLogger<HealthCheckScheduler>.Instance);
        await f.Catalog.RegisterAsync(Web(TimeSpan.FromSeconds(1)));
        Advance(f, scheduler, TimeSpan.FromSeconds(1) + Tick);
        Assert.Equal(1, probe.Started);

        await f.Catalog.RegisterAsync(Web(TimeSpan.FromMilliseconds(500))); // a new spec: a new runtime, first due within 0.5 s
        Advance(f, scheduler, TimeSpan.FromSeconds(3));
        Assert.Equal(1, probe.Started);

        Advance(f, scheduler, TimeSpan.FromSeconds(3)); // the old probe has timed out; the new check's probe starts
        Assert.Equal(2, probe.Started);
        Assert.Equal(1, probe.MostAtOnce);
    }
}
