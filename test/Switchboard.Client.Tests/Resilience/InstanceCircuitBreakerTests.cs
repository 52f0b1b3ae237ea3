using Microsoft.Extensions.Time.Testing;
using Switchboard.Client.Resilience;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Resilience;

public sealed class InstanceCircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(CircuitState From, CircuitState To)> _transitions = [];

    private InstanceCircuitBreaker Create(out Switchboard.Client.Endpoints.InstanceEndpoint endpoint, int failures = 5, int successes = 2)
    {
        endpoint = TestEndpoints.Create(1)[0];
        var options = ServiceTiers.BuiltIn("svc", "RoundRobin") with { FailureThreshold = failures, SuccessThreshold = successes };
        return new InstanceCircuitBreaker(endpoint, "svc", options, _time, (_, from, to) => _transitions.Add((from, to)));
    }

    [Fact]
    public void OnFailure_ConsecutiveFailuresReachThreshold_OpensAndEjects()
    {
        var breaker = Create(out var endpoint);
        for (var i = 0; i < 4; i++)
            breaker.OnFailure();
        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.OnFailure();
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.True(endpoint.IsEjected);
        Assert.False(breaker.TryAcquire(false, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(60), retryAfter);
    }

    [Fact]
    public void OnSuccess_BetweenFailures_ResetsTheCount()
    {
        var breaker = Create(out _);
        for (var i = 0; i < 4; i++)
            breaker.OnFailure();
        breaker.OnSuccess();
        for (var i = 0; i < 4; i++)
            breaker.OnFailure();
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public void HalfOpen_OneProbeAtATime_SuccessThresholdCloses()
    {
        var breaker = Create(out var endpoint);
        for (var i = 0; i < 5; i++)
            breaker.OnFailure();
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.False(endpoint.IsEjected);

        Assert.True(breaker.TryAcquire(false, out _));
        Assert.False(breaker.TryAcquire(false, out _));
        breaker.OnSuccess();
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.True(breaker.TryAcquire(false, out _));
        breaker.OnSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.Equal([(CircuitState.Closed, CircuitState.Open), (CircuitState.Open, CircuitState.HalfOpen), (CircuitState.HalfOpen, CircuitState.Closed)], _transitions);
    }

    [Fact]
    public void HalfOpen_ProbeFails_OpensForAnotherBreak()
    {
        var breaker = Create(out var endpoint, failures: 1);
        breaker.OnFailure();
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.True(breaker.TryAcquire(false, out _));
        breaker.OnFailure();
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.True(endpoint.IsEjected);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(CircuitState.Open, breaker.State);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
    }

    [Fact]
    public void TryAcquire_OpenInPanicMode_LetsTheCallThrough()
    {
        var breaker = Create(out _, failures: 1, successes: 1);
        breaker.OnFailure();
        Assert.True(breaker.TryAcquire(true, out _));
        breaker.OnSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
    }
}
