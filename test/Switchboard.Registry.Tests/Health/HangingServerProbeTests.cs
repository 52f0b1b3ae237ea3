using Microsoft.Extensions.Time.Testing;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Tests.Health;

/// <summary>HTTP probes of many instances behind one server that accepts and never answers.</summary>
public sealed class HangingServerProbeTests
{
    private const int Instances = 50;

    private static async Task UntilAsync(Func<bool> done, string what)
    {
        for (var i = 0; i < 1_000 && !done(); i++)
            await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.True(done(), $"gave up waiting for {what}");
    }

    [Fact]
    public async Task ManyInstancesOnOneHostPort_EachProbeHasItsOwnConnection_ClosedAtItsTimeout()
    {
        await using var silent = SilentTcpServer.Start();
        var time = new FakeTimeProvider();
        using var probe = new NetworkHealthProbe(time);
        var check = new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/health", Timeout = TimeSpan.FromSeconds(5) };

        var probing = Enumerable.Range(0, Instances)
            .Select(i => probe.ProbeAsync(new ServiceInstance { InstanceId = $"i{i}", ServiceName = "t", Host = "127.0.0.1", Port = silent.Port }, check, TestContext.Current.CancellationToken))
            .ToList();

        // No probe waits for another's connection: every one of them reaches the server before any timeout.
        await UntilAsync(() => silent.Accepted == Instances, $"{Instances} connections (accepted {silent.Accepted})");
        Assert.DoesNotContain(probing, p => p.IsCompleted);

        time.Advance(check.EffectiveTimeout);
        var results = await Task.WhenAll(probing);

        Assert.All(results, r => Assert.Equal(HealthStatus.Critical, r.Status));
        Assert.All(results, r => Assert.Contains("timed out", r.Output, StringComparison.Ordinal));
        await UntilAsync(() => silent.Open == 0, $"the timed-out probes' connections to close ({silent.Open} open)");
    }
}
