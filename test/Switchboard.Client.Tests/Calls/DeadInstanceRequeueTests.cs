using Switchboard.Client.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Calls;

/// <summary>
/// An attempt that met a gone instance (connection refused, connection reset under the request) moves to another instance
/// without the backoff; an instance that answered, or nothing else to try, gets the backoff. On a fake clock that is never advanced, a call can only finish if no backoff delayed it.
/// </summary>
public sealed class DeadInstanceRequeueTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The built-in retry settings (the harness shortens them for its other tests).</summary>
    private static Dictionary<string, string?> BuiltInRetry(string policy) => new()
    {
        ["Switchboard:Defaults:RetryBaseDelay"] = "00:00:01",
        ["Switchboard:Defaults:RetryMaxDelay"] = "00:01:00",
        ["Switchboard:Defaults:CircuitBreakerEnabled"] = "false", // every call may meet the dead instance
        ["Switchboard:LoadBalancingPolicy"] = policy,
    };

    /// <summary>Timeouts longer than any backoff, so that the only timers of a minute or less are the backoff's.</summary>
    private static Dictionary<string, string?> BackoffTimersOnly(Dictionary<string, string?> config)
    {
        config["Switchboard:Defaults:AttemptTimeout"] = "00:05:00";
        config["Switchboard:Defaults:TotalTimeout"] = "00:10:00";
        config["Switchboard:Discovery:RequestTimeout"] = "00:05:00";
        return config;
    }

    /// <summary>One live instance and, beside it, one whose port is closed; round robin, so calls meet the dead one first in turn.</summary>
    private static async Task<CallHarness> BesideADeadInstanceAsync()
    {
        var h = await CallHarness.StartAsync(1, BuiltInRetry("RoundRobin"), new ObservableFakeTime());
        h.Registry.Upsert(h.Servers[0].Instance("user-service") with { InstanceId = "user-service-dead", Port = Ports.Free() });
        return h;
    }

    /// <summary>Makes four calls (each must succeed without the fake clock moving) and returns how many attempts each took.</summary>
    private static async Task<List<int>> FourSuccessfulCallsAsync(Func<int, Task<ServiceResult<Answer>>> call)
    {
        var attempts = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            var result = await call(i).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            Assert.True(result.Success, result.Error);
            attempts.Add(result.Attempts);
        }
        return attempts;
    }

    [Fact]
    public async Task Get_DeadInstanceBesideALiveOne_RetriedOnTheLiveOneWithoutWaitingForTheBackoff()
    {
        await using var h = await BesideADeadInstanceAsync();

        var attempts = await FourSuccessfulCallsAsync(_ => h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct));

        Assert.Contains(2, attempts); // round robin sent some calls to the dead instance first
        Assert.Equal(4, Volatile.Read(ref h.Servers[0].Requests));
    }

    [Fact]
    public async Task Get_ConnectionDroppedUnderTheRequest_RetriedOnTheOtherInstanceWithoutWaitingForTheBackoff()
    {
        var time = new ObservableFakeTime();
        await using var h = await CallHarness.StartAsync(2, BuiltInRetry("FirstAvailable"), time);
        var (first, second) = h.InCatalogOrder();
        first.Mode = Fault.Drop; // the process dies under the request: the connection is reset, no answer

        var result = await h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.True(result.Success, result.Error);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(second.Port, result.Value!.Port);
    }

    [Fact]
    public async Task Get_InstanceAnswers500_RetryWaitsForTheBackoffAlthoughAnotherInstanceIsLeft()
    {
        var time = new ObservableFakeTime();
        await using var h = await CallHarness.StartAsync(2, BackoffTimersOnly(BuiltInRetry("FirstAvailable")), time);
        var (first, second) = h.InCatalogOrder();
        first.Mode = Fault.Fail; // busy, not gone: it answers

        var call = h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);

        var backoff = await time.NextTimerAsync(d => d > TimeSpan.Zero && d <= TimeSpan.FromMinutes(1));
        Assert.False(call.IsCompleted);
        time.Advance(backoff);
        var result = await call.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.True(result.Success, result.Error);
        Assert.Equal(second.Port, result.Value!.Port);
    }

    [Fact]
    public async Task Post_DeadInstanceBesideALiveOne_MovesToTheLiveOneAlthoughPostIsNotRetried()
    {
        await using var h = await BesideADeadInstanceAsync();

        var attempts = await FourSuccessfulCallsAsync(i => h.Client.PostAsync<Answer>("user-service", "/orders", new { Id = i }, cancellationToken: Ct));

        Assert.Contains(2, attempts); // the refused connection sent nothing, so the POST moved on
        Assert.Equal(4, Volatile.Read(ref h.Servers[0].Requests)); // and each order reached the service once

        h.Servers[0].Mode = Fault.Fail;
        var failed = await h.Client.PostAsync<Answer>("user-service", "/orders", new { Id = 9 }, cancellationToken: Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.False(failed.Success);
        Assert.Equal(5, Volatile.Read(ref h.Servers[0].Requests)); // a POST the service answered with a 500 is not sent again
    }

    [Fact]
    public async Task Get_OnlyInstanceDead_RetryWaitsForTheBackoff()
    {
        var time = new ObservableFakeTime();
        await using var h = await CallHarness.StartAsync(0, BackoffTimersOnly(BuiltInRetry("RoundRobin")), time);
        h.Registry.Upsert(new Instances.ServiceInstance { InstanceId = "user-service-dead", ServiceName = "user-service", Host = "127.0.0.1", Port = Ports.Free() });

        var call = h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);

        var backoff = await time.NextTimerAsync(d => d > TimeSpan.Zero && d <= TimeSpan.FromMinutes(1));
        Assert.False(call.IsCompleted);
        Assert.InRange(backoff, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(3)); // the first exponential delay around 1 s
    }
}
