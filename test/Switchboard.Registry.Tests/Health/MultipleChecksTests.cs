using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Tests.Health;

public sealed class MultipleChecksTests
{
    private sealed class FixedProbe(HealthStatus status) : IHealthProbe
    {
        public HealthStatus Status { get; set; } = status;

        public Task<(HealthStatus Status, string Output)> ProbeAsync(ServiceInstance instance, HealthCheckSpec check, CancellationToken cancellationToken)
            => Task.FromResult((Status, $"{check.Id}: {Status}"));
    }

    private static ServiceInstance TwoChecks()
    {
        var errors = RegistrationValidator.Validate(new ServiceRegistration
        {
            ServiceName = "web",
            Host = "10.0.0.1",
            Port = 80,
            Ttl = TimeSpan.Zero,
            Checks =
            [
                new HealthCheckSpec { Id = "web-http", Kind = HealthCheckKind.Http, Http = "/health", Interval = TimeSpan.FromSeconds(10) },
                new HealthCheckSpec { Id = "web-ttl", Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(30) },
            ],
        }, null, out var instance);
        Assert.Empty(errors);
        return instance!;
    }

    [Fact]
    public async Task InstanceStatus_IsWorstOfItsChecks()
    {
        var f = new CatalogFixture();
        var probe = new FixedProbe(HealthStatus.Passing);
        using var scheduler = new HealthCheckScheduler(f.Catalog, probe, f.Time, NullLogger<HealthCheckScheduler>.Instance);
        var id = (await f.Catalog.RegisterAsync(TwoChecks())).Instance.InstanceId;

        await f.Catalog.UpdateCheckAsync("web-ttl", HealthStatus.Warning, "slow disk");
        Assert.Equal(HealthStatus.Warning, f.Catalog.GetInstance(id)!.Instance.Status);

        probe.Status = HealthStatus.Critical;
        f.Time.Advance(TimeSpan.FromSeconds(10));
        await scheduler.RunDueAsync();
        var instance = f.Catalog.GetInstance(id)!.Instance;
        Assert.Equal(HealthStatus.Critical, instance.Status);
        Assert.Equal([HealthStatus.Critical, HealthStatus.Warning], instance.Checks.Select(c => c.Status));
    }

    [Fact]
    public async Task UpdateCheckAsync_UnknownIdNull_NonTtlThrows()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(TwoChecks());

        Assert.Null(await f.Catalog.UpdateCheckAsync("nope", HealthStatus.Passing, null));
        await Assert.ThrowsAsync<InvalidOperationException>(() => f.Catalog.UpdateCheckAsync("web-http", HealthStatus.Passing, null));
    }

    [Fact]
    public async Task ReRegistration_KeepsStateOfUnchangedChecks()
    {
        var f = new CatalogFixture();
        var id = (await f.Catalog.RegisterAsync(TwoChecks())).Instance.InstanceId;
        await f.Catalog.UpdateCheckAsync("web-ttl", HealthStatus.Critical, "down");

        await f.Catalog.RegisterAsync(TwoChecks() with { Tags = ["v2"] });

        var instance = f.Catalog.GetInstance(id)!.Instance;
        Assert.Equal(["v2"], instance.Tags);
        Assert.Equal(HealthStatus.Critical, instance.Status);
        Assert.NotNull(await f.Catalog.UpdateCheckAsync("web-ttl", HealthStatus.Passing, "up"));
        Assert.Equal(HealthStatus.Passing, f.Catalog.GetInstance(id)!.Instance.Status);
    }

    [Fact]
    public async Task Deregister_RemovesCheckIds()
    {
        var f = new CatalogFixture();
        var id = (await f.Catalog.RegisterAsync(TwoChecks())).Instance.InstanceId;
        await f.Catalog.DeregisterAsync(id);
        Assert.Null(await f.Catalog.UpdateCheckAsync("web-ttl", HealthStatus.Passing, null));
    }
}
