using System.Net;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Client.Calls;
using Switchboard.Client.Discovery;
using Switchboard.Client.Resilience;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Calls;

public sealed class ServiceClientResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_ThreeInstancesOneFailing_StreamSeesZeroFailuresAndFailingOneIsEjected()
    {
        await using var h = await CallHarness.StartAsync(3);
        h.Servers[1].Mode = Fault.Fail;

        var results = new List<ServiceResult<Answer>>();
        for (var i = 0; i < 200; i++)
            results.Add(await h.Client.GetAsync<Answer>("user-service", "/users/1", cancellationToken: Ct));

        Assert.All(results, r => Assert.True(r.Success, r.Error));
        Assert.DoesNotContain(results, r => r.Value!.Port == h.Servers[1].Port);
        Assert.Equal(5, h.Servers[1].Requests);
        var failing = Assert.Single(h.Breakers.GetStates("user-service"), s => s.InstanceId == $"user-service-{h.Servers[1].Port}");
        Assert.Equal(CircuitState.Open, failing.State);
    }

    [Fact]
    public async Task Get_EveryAttemptFails_EachAttemptCountsOnceInTheBreaker()
    {
        await using var h = await CallHarness.StartAsync(1, new() { ["Switchboard:Defaults:MaxAttempts"] = "3" });
        h.Servers[0].Mode = Fault.Fail;

        var result = await h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);

        Assert.False(result.Success);
        Assert.Equal((3, 3), (result.Attempts, h.Servers[0].Requests));
        var breaker = Assert.Single(h.Breakers.GetStates("user-service"));
        Assert.Equal((CircuitState.Closed, 3), (breaker.State, breaker.ConsecutiveFailures));
    }

    [Fact]
    public async Task Get_DroppedConnection_RetriedOnAnotherInstance()
    {
        await using var h = await CallHarness.StartAsync(2, new() { ["Switchboard:LoadBalancingPolicy"] = "FirstAvailable" });
        var (first, second) = h.InCatalogOrder();
        first.Mode = Fault.Drop;
        var result = await h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);
        Assert.True(result.Success, result.Error);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(second.Port, result.Value!.Port);
        Assert.Equal(1, first.Requests);
    }

    [Fact]
    public async Task Post_FailingInstance_NotRetriedUnlessOptedIn()
    {
        await using var h = await CallHarness.StartAsync(1);
        h.Servers[0].Mode = Fault.Fail;

        var post = await h.Client.PostAsync<Answer>("user-service", "/orders", new { Id = 1 }, cancellationToken: Ct);
        Assert.False(post.Success);
        Assert.Equal(1, post.Attempts);
        Assert.Equal(1, h.Servers[0].Requests);

        var optedIn = await h.Client.PostAsync<Answer>("user-service", "/orders", new { Id = 1 }, new CallOptions { AllowRetry = true }, Ct);
        Assert.Equal(3, optedIn.Attempts);
        var get = await h.Client.GetAsync<Answer>("user-service", "/orders", cancellationToken: Ct);
        // Its first attempt is the instance's fifth failure: the breaker opens, the second attempt goes to the lone
        // instance in panic mode and, failing, ends the call (a panic attempt on the last instance is not retried).
        Assert.Equal(2, get.Attempts);
        Assert.True(get.Panic);
        Assert.Equal(HttpStatusCode.InternalServerError, get.StatusCode);
        var error = Assert.IsType<ServiceCallException>(get.Exception);
        Assert.Contains("boom", error.ResponseExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AllInstancesSlow_TotalTimeoutBoundsTheCall()
    {
        await using var h = await CallHarness.StartAsync(2, new()
        {
            ["Switchboard:Services:user-service:TotalTimeout"] = "00:00:00.400",
            ["Switchboard:Services:user-service:AttemptTimeout"] = "00:00:00.150",
        });
        foreach (var s in h.Servers)
            s.Mode = Fault.Slow;
        var result = await h.Client.GetAsync<Answer>("user-service", "/slow", cancellationToken: Ct);
        Assert.False(result.Success);
        var timeout = Assert.IsType<ServiceTimeoutException>(result.Exception);
        Assert.Equal("user-service", timeout.ServiceName);
        // How many attempts fit in the budget depends on the machine's load; that the budget bounds the call does not.
        Assert.InRange(result.Attempts, 1, 3);
    }

    [Fact]
    public async Task Get_TotalTimeoutPassesDuringBackoff_CallTimesOutNamingTheTotal()
    {
        var time = new ObservableFakeTime();
        await using var h = await CallHarness.StartAsync(1, new()
        {
            ["Switchboard:Defaults:MaxAttempts"] = "3",
            ["Switchboard:Defaults:RetryBaseDelay"] = "00:00:20",
            ["Switchboard:Defaults:RetryMaxDelay"] = "00:01:00",
            ["Switchboard:Defaults:TotalTimeout"] = "00:00:30",
            ["Switchboard:Defaults:AttemptTimeout"] = "00:00:05",
            ["Switchboard:Defaults:CircuitBreakerEnabled"] = "false",
            ["Switchboard:Discovery:RequestTimeout"] = "00:05:00",
        }, time);
        h.Servers[0].Mode = Fault.Fail;
        var call = h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);

        // The first attempt fails at once; the retry takes over under what remains of the total (all of it: the clock has not moved).
        await time.NextTimerAsync(d => d == TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(30));

        var result = await call.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var timeout = Assert.IsType<ServiceTimeoutException>(result.Exception);
        Assert.Equal(TimeSpan.FromSeconds(30), timeout.Timeout);
        Assert.Contains("total timeout", timeout.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_RetryAfterBeyondTotalTimeout_AnswersAtOnceWithoutWaiting()
    {
        await using var h = await CallHarness.StartAsync(1);
        h.Servers[0].Mode = Fault.Unavailable;
        h.Servers[0].RetryAfterSeconds = 120;
        var result = await h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);
        Assert.False(result.Success);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, result.StatusCode);
    }

    [Fact]
    public async Task Get_RetryAfterWithinTotalTimeout_WaitsThatLongThenRetries()
    {
        var time = new ObservableFakeTime();
        await using var h = await CallHarness.StartAsync(1, new() { ["Switchboard:Defaults:MaxAttempts"] = "2" }, time);
        h.Servers[0].Mode = Fault.Unavailable;
        h.Servers[0].RetryAfterSeconds = 7;
        var call = h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);
        var delay = await time.NextTimerAsync(d => d == TimeSpan.FromSeconds(7));
        h.Servers[0].Mode = Fault.None;
        time.Advance(delay);
        var result = await call.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(result.Success, result.Error);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task Get_FailingInstance_RetriesAfterExponentialBackoffWithJitterOnTheClock()
    {
        var time = new ObservableFakeTime();
        await using var h = await CallHarness.StartAsync(1, new()
        {
            ["Switchboard:Defaults:MaxAttempts"] = "3",
            ["Switchboard:Defaults:RetryBaseDelay"] = "00:00:01",
            ["Switchboard:Defaults:RetryMaxDelay"] = "00:01:00",
            ["Switchboard:Defaults:CircuitBreakerEnabled"] = "false",
            // Timeouts longer than any backoff, so that the only timers of a minute or less are the backoff's.
            ["Switchboard:Defaults:AttemptTimeout"] = "00:05:00",
            ["Switchboard:Defaults:TotalTimeout"] = "00:10:00",
            ["Switchboard:Discovery:RequestTimeout"] = "00:05:00",
        }, time);
        h.Servers[0].Mode = Fault.Fail;
        var call = h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);

        // Each retry waits on the clock first: nothing more reaches the instance until the backoff has passed.
        var first = await time.NextTimerAsync(d => d > TimeSpan.Zero && d <= TimeSpan.FromMinutes(1));
        Assert.Equal(1, Volatile.Read(ref h.Servers[0].Requests));
        time.Advance(first);
        var second = await time.NextTimerAsync(d => d > TimeSpan.Zero && d <= TimeSpan.FromMinutes(1));
        Assert.Equal(2, Volatile.Read(ref h.Servers[0].Requests));
        h.Servers[0].Mode = Fault.None;
        time.Advance(second);

        var result = await call.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.True(result.Success, result.Error);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, Volatile.Read(ref h.Servers[0].Requests));
    }

    [Fact]
    public async Task Breaker_AfterBreakDuration_HalfOpenReadmitsInstanceAndSuccessesClose()
    {
        var time = new FakeTimeProvider();
        await using var h = await CallHarness.StartAsync(2, new()
        {
            ["Switchboard:LoadBalancingPolicy"] = "FirstAvailable",
            ["Switchboard:Defaults:MaxAttempts"] = "1",
        }, time);
        var (a, b) = h.InCatalogOrder();
        a.Mode = Fault.Fail;
        for (var i = 0; i < 5; i++)
            Assert.False((await h.Client.GetAsync<Answer>("user-service", "/", cancellationToken: Ct)).Success);
        Assert.Equal(CircuitState.Open, State(h, a));

        a.Mode = Fault.None;
        Assert.Equal(b.Port, (await h.Client.GetAsync<Answer>("user-service", "/", cancellationToken: Ct)).Value!.Port);
        Assert.Equal(5, a.Requests);

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(CircuitState.HalfOpen, State(h, a));
        Assert.Equal(a.Port, (await h.Client.GetAsync<Answer>("user-service", "/", cancellationToken: Ct)).Value!.Port);
        Assert.Equal(CircuitState.HalfOpen, State(h, a));
        Assert.Equal(a.Port, (await h.Client.GetAsync<Answer>("user-service", "/", cancellationToken: Ct)).Value!.Port);
        Assert.Equal(CircuitState.Closed, State(h, a));
    }

    [Fact]
    public async Task Panic_OnlyInstanceEjected_OneAttemptRatherThanRetriesOfTheSameInstance()
    {
        // The real clock: the harness's backoff is 1 ms, and nothing here waits for the 30 s break to pass.
        await using var h = await CallHarness.StartAsync(1, new() { ["Switchboard:Defaults:MaxAttempts"] = "3", ["Switchboard:Defaults:FailureThreshold"] = "2" });
        h.Servers[0].Mode = Fault.Fail;
        var first = await h.Client.GetAsync<Answer>("user-service", "/", cancellationToken: Ct);
        Assert.Equal(CircuitState.Open, State(h, h.Servers[0])); // its first two attempts opened the breaker
        var before = h.Servers[0].Requests;

        var panic = await h.Client.GetAsync<Answer>("user-service", "/", cancellationToken: Ct);

        Assert.True(panic.Panic);
        Assert.False(panic.Success);
        Assert.Equal(1, panic.Attempts); // a slow or failing lone instance costs one attempt per call, not three
        Assert.Equal(before + 1, h.Servers[0].Requests);
        Assert.True(first.Attempts > 1);
    }

    [Fact]
    public async Task Breaker_ProbeFailsInHalfOpen_OpensAgain()
    {
        var time = new FakeTimeProvider();
        await using var h = await CallHarness.StartAsync(1, new() { ["Switchboard:Defaults:MaxAttempts"] = "1", ["Switchboard:Defaults:FailureThreshold"] = "2" }, time);
        h.Servers[0].Mode = Fault.Fail;
        for (var i = 0; i < 2; i++)
            await h.Client.GetAsync<Answer>("user-service", "/", cancellationToken: Ct);
        Assert.Equal(CircuitState.Open, State(h, h.Servers[0]));

        // Every instance ejected: panic mode still tries the only one (and fails).
        var panic = await h.Client.GetAsync<Answer>("user-service", "/", cancellationToken: Ct);
        Assert.Equal(3, h.Servers[0].Requests);
        Assert.False(panic.Success);
        Assert.True(panic.Panic); // the result says so

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(CircuitState.HalfOpen, State(h, h.Servers[0]));
        var probe = await h.Client.GetAsync<Answer>("user-service", "/", cancellationToken: Ct);
        Assert.False(probe.Panic); // a half-open probe is an ordinary pick
        Assert.Equal(CircuitState.Open, State(h, h.Servers[0]));
    }

    /// <summary>The two servers in the registry's order (by instance id), which FirstAvailable follows.</summary>
    private static CircuitState State(CallHarness h, FaultServer server) =>
        h.Breakers.GetStates("user-service").Single(s => s.InstanceId == $"user-service-{server.Port}").State;

    [Fact]
    public async Task Get_BodyNotJson_ServiceCallExceptionWithExcerptNotJsonException()
    {
        await using var h = await CallHarness.StartAsync(1);
        h.Servers[0].Mode = Fault.Garbage;
        var result = await h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);
        Assert.False(result.Success);
        var error = Assert.IsType<ServiceCallException>(result.Exception);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Contains("<html>maintenance</html>", error.ResponseExcerpt, StringComparison.Ordinal);
        Assert.Contains("not valid JSON for Answer", error.Message, StringComparison.Ordinal);
        Assert.Throws<ServiceCallException>(() => result.EnsureSuccess());
    }

    [Fact]
    public async Task Get_PathThatIsAFileUri_FailedResultNotAnException()
    {
        await using var h = await CallHarness.StartAsync(1);

        // A UNC path is an absolute file URI: no HTTP handler sends it.
        var result = await h.Client.GetAsync<Answer>("user-service", @"\\\\files\\share", cancellationToken: Ct);

        Assert.False(result.Success);
        var error = Assert.IsType<ServiceCallException>(result.Exception);
        Assert.True(error.InnerException is NotSupportedException, result.Error);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(0, h.Servers[0].Requests);
    }

    [Fact]
    public async Task Get_FirstSegmentWithColon_ReachesThePathNotAScheme()
    {
        await using var h = await CallHarness.StartAsync(1);

        var result = await h.Client.GetAsync<Answer>("user-service", "/items:search?q=1", cancellationToken: Ct);

        Assert.True(result.Success, result.Error);
        Assert.Equal("/items:search?q=1", result.Value!.Path);
    }

    [Fact]
    public async Task Get_PathThatIsAnAbsoluteUrl_StaysOnTheInstance()
    {
        await using var h = await CallHarness.StartAsync(1);
        await using var elsewhere = await FaultServer.StartAsync();

        var result = await h.Client.GetAsync<Answer>("user-service", $"http://127.0.0.1:{elsewhere.Port}/x", cancellationToken: Ct);

        Assert.True(result.Success, result.Error);
        Assert.Equal(h.Servers[0].Port, result.Value!.Port);
        Assert.Equal(0, elsewhere.Requests);
    }

    [Fact]
    public async Task Get_UnknownService_ResultCarriesNotFound()
    {
        await using var h = await CallHarness.StartAsync(1);
        var result = await h.Client.GetAsync<Answer>("ghost-service", "/x", cancellationToken: Ct);
        Assert.False(result.Success);
        Assert.IsType<ServiceNotFoundException>(result.Exception);
        await Assert.ThrowsAsync<ServiceNotFoundException>(() => h.Client.GetOrThrowAsync<Answer>("ghost-service", "/x", cancellationToken: Ct));
    }

    [Fact]
    public async Task Calls_Headers_RequestIdSameAcrossRetriesAndCallerNameSent()
    {
        await using var h = await CallHarness.StartAsync(2, new() { ["Switchboard:LoadBalancingPolicy"] = "FirstAvailable" });
        var (first, second) = h.InCatalogOrder();
        first.Mode = Fault.Fail;
        var result = await h.Client.GetAsync<Answer>("user-service", "/x", new CallOptions { RequestId = "req-12345" }, Ct);
        Assert.True(result.Success);
        var seen = h.Servers[0].Seen.Concat(h.Servers[1].Seen).ToArray();
        Assert.Equal(2, seen.Length);
        Assert.All(seen, s => Assert.Equal("req-12345", s.RequestId));
        Assert.All(seen, s => Assert.Equal("gravity-optimizer", s.Caller));

        var generated = await h.Client.GetAsync<Answer>("user-service", "/y", cancellationToken: Ct);
        Assert.False(string.IsNullOrEmpty(generated.RequestId));
        Assert.Equal(generated.RequestId, second.Seen.Last().RequestId);
    }

    [Fact]
    public async Task ErrorHandler_FailedCall_IsCalledOnce()
    {
        var errors = new List<ServiceCallError>();
        await using var h = await CallHarness.StartAsync(1, configure: b => b.OnServiceError((e, _) =>
        {
            errors.Add(e);
            return ValueTask.CompletedTask;
        }));
        h.Servers[0].Mode = Fault.Fail;
        await h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);
        var error = Assert.Single(errors);
        Assert.Equal(("user-service", "GET", "/x", 3), (error.ServiceName, error.Method, error.Path, error.Attempts));
    }

    [Fact]
    public async Task Get_BodyBreaksOffWhileBuffered_ResponseDisposedAndCallFails()
    {
        BrokenBodyHandler.Disposed = 0;
        await using var h = await CallHarness.StartAsync(1, new() { ["Switchboard:Defaults:MaxAttempts"] = "1" }, configure: b => b.AddServiceMiddleware<BrokenBodyHandler>());

        var result = await h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);

        Assert.False(result.Success);
        Assert.Equal(1, Volatile.Read(ref BrokenBodyHandler.Disposed));
    }

    /// <summary>Hands back the instance's answer with a body that breaks off when read, and counts its disposal.</summary>
    private sealed class BrokenBodyHandler : DelegatingHandler
    {
        public static int Disposed;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            response.Content.Dispose();
            response.Content = new BrokenContent();
            return response;
        }

        private sealed class BrokenContent : HttpContent
        {
            protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
                throw new IOException("the connection broke off in the body");

            protected override bool TryComputeLength(out long length)
            {
                length = 0;
                return false;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                    Interlocked.Increment(ref Disposed);
                base.Dispose(disposing);
            }
        }
    }

    [Fact]
    public async Task Middleware_AddedHandler_RunsOnEveryAttempt()
    {
        await using var h = await CallHarness.StartAsync(1, configure: b => b.AddServiceMiddleware<AuthHandler>());
        h.Servers[0].Mode = Fault.Fail;
        await h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: Ct);
        Assert.Equal(3, AuthHandler.Count(h.Servers[0].Port));
    }

    private sealed class AuthHandler : DelegatingHandler
    {
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> Counts = new();

        public static int Count(int port) => Counts.GetValueOrDefault(port);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new("Bearer", "token");
            Counts.AddOrUpdate(request.RequestUri!.Port, 1, (_, c) => c + 1);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
