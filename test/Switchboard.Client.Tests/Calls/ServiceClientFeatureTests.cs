using Microsoft.Extensions.Time.Testing;
using Switchboard.Client.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Calls;

public sealed class ServiceClientFeatureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Call_ByDefault_DoesNotAskForCompression()
    {
        await using var h = await CallHarness.StartAsync(1);

        var result = await h.Client.GetAsync<Answer>("user-service", "/plain", cancellationToken: Ct);

        Assert.True(result.Success, result.Error);
        Assert.Equal("/plain", result.Value!.Path);
        Assert.Equal("", Assert.Single(h.Servers[0].AcceptEncodings));
    }

    [Fact]
    public async Task Call_WithGzipDecompression_ReadsTheCompressedAnswer()
    {
        await using var h = await CallHarness.StartAsync(1, configure: b => b.Services.Configure<ServiceClientOptions>(o => o.AutomaticDecompression = System.Net.DecompressionMethods.GZip));

        var result = await h.Client.GetAsync<Answer>("user-service", "/zipped", cancellationToken: Ct);

        Assert.True(result.Success, result.Error);
        Assert.Equal("/zipped", result.Value!.Path);
        Assert.Contains("gzip", Assert.Single(h.Servers[0].AcceptEncodings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_OneCallFails_OtherResultsInOrder()
    {
        await using var h = await CallHarness.StartAsync(1);
        var results = await h.Client.BatchAsync<Answer>(
        [
            (c, ct) => c.GetAsync<Answer>("user-service", "/a", cancellationToken: ct),
            (c, ct) => c.GetAsync<Answer>("ghost-service", "/b", cancellationToken: ct),
            (c, ct) => throw new InvalidOperationException("bad call"),
            (c, ct) => c.GetAsync<Answer>("user-service", "/d", cancellationToken: ct),
        ], cancellationToken: Ct);

        Assert.Equal(4, results.Count);
        Assert.Equal("/a", results[0].Value!.Path);
        Assert.False(results[1].Success);
        Assert.Equal("bad call", results[2].Error);
        Assert.Equal("/d", results[3].Value!.Path);
    }

    [Fact]
    public async Task SendWithFallback_PrimaryDown_FallbackServiceAnswers()
    {
        await using var h = await CallHarness.StartAsync(1);
        await using var backup = await FaultServer.StartAsync();
        h.Registry.Upsert(backup.Instance("backup-service"));
        h.Servers[0].Mode = Fault.Fail;

        var result = await h.Client.SendWithFallbackAsync<Answer>(HttpMethod.Post, "user-service", "backup-service", "/recommend", new { UserId = 123 }, cancellationToken: Ct);

        Assert.True(result.Success, result.Error);
        Assert.True(result.FallbackUsed);
        Assert.Equal("backup-service", result.ServiceName);
        Assert.Equal(backup.Port, result.Value!.Port);
        Assert.Equal("POST", result.Value.Method);
    }

    [Fact]
    public async Task GetWithVersionFallback_V2Failing_V1Answers()
    {
        await using var h = await CallHarness.StartAsync(0);
        await using var v1 = await FaultServer.StartAsync();
        await using var v2 = await FaultServer.StartAsync();
        v1.Version = "1.0";
        v2.Version = "2.0";
        v2.Mode = Fault.Fail;
        h.Registry.Upsert(v1.Instance("user-service"));
        h.Registry.Upsert(v2.Instance("user-service"));

        var result = await h.Client.GetWithVersionFallbackAsync<Answer>("user-service", "/users/1", "2.0", "1.0", Ct);

        Assert.True(result.Success, result.Error);
        Assert.True(result.FallbackUsed);
        Assert.Equal(v1.Port, result.Value!.Port);
        Assert.Equal(3, v2.Requests);
    }

    [Fact]
    public async Task OrFallbackValue_AllAttemptsFail_DegradedSuccessWithDefault()
    {
        await using var h = await CallHarness.StartAsync(1);
        h.Servers[0].Mode = Fault.Fail;
        var result = await h.Client.GetAsync<Answer>("user-service", "/weather", cancellationToken: Ct).OrFallbackValue(new Answer(0, "default", "GET"));
        Assert.True(result.Success);
        Assert.True(result.Degraded);
        Assert.Equal("default", result.Value!.Path);
    }

    [Fact]
    public async Task Cache_SecondGetWithinTtl_ServedFromCacheWithoutCall()
    {
        var time = new FakeTimeProvider();
        await using var h = await CallHarness.StartAsync(1, time: time);
        var cache = new CallOptions { Cache = new CacheOptions { Ttl = TimeSpan.FromMinutes(1) } };
        var first = await h.Client.GetAsync<Answer>("user-service", "/topology", cache, Ct);
        var second = await h.Client.GetAsync<Answer>("user-service", "/topology", cache, Ct);
        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal(1, h.Servers[0].Requests);

        time.Advance(TimeSpan.FromMinutes(2));
        var third = await h.Client.GetAsync<Answer>("user-service", "/topology", cache, Ct);
        Assert.False(third.FromCache);
        Assert.Equal(2, h.Servers[0].Requests);
    }

    [Fact]
    public async Task Cache_ServiceFailsAfterTtl_ServesStaleMarkedDegraded()
    {
        var time = new FakeTimeProvider();
        await using var h = await CallHarness.StartAsync(1, new() { ["Switchboard:Defaults:MaxAttempts"] = "1" }, time);
        var cache = new CallOptions { Cache = new CacheOptions { Ttl = TimeSpan.FromMinutes(1) } };
        await h.Client.GetAsync<Answer>("user-service", "/topology", cache, Ct);
        time.Advance(TimeSpan.FromMinutes(5));
        h.Servers[0].Mode = Fault.Fail;

        var stale = await h.Client.GetAsync<Answer>("user-service", "/topology", cache, Ct);

        Assert.True(stale.Success);
        Assert.True(stale.Degraded);
        Assert.True(stale.FromCache);
        Assert.Equal("/topology", stale.Value!.Path);

        var noStale = await h.Client.GetAsync<Answer>("user-service", "/topology", cache with { Cache = cache.Cache! with { CacheOnError = false } }, Ct);
        Assert.False(noStale.Success);
    }

    [Fact]
    public async Task Cache_ForceRefreshVaryByAndClear_BehaveAsAsked()
    {
        await using var h = await CallHarness.StartAsync(1);
        var cache = new CacheOptions { Ttl = TimeSpan.FromMinutes(10) };
        await h.Client.GetAsync<Answer>("user-service", "/p", new CallOptions { Cache = cache }, Ct);
        await h.Client.GetAsync<Answer>("user-service", "/p", new CallOptions { Cache = cache with { ForceRefresh = true } }, Ct);
        Assert.Equal(2, h.Servers[0].Requests);

        await h.Client.GetAsync<Answer>("user-service", "/p", new CallOptions { Cache = cache with { VaryBy = ["user-7"] } }, Ct);
        Assert.Equal(3, h.Servers[0].Requests);

        await h.Client.GetAsync<Answer>("user-service", "/p", new CallOptions { Cache = cache with { Key = "product:123" } }, Ct);
        await h.Client.ClearCacheAsync("product:123", Ct);
        await h.Client.GetAsync<Answer>("user-service", "/p", new CallOptions { Cache = cache with { Key = "product:123" } }, Ct);
        Assert.Equal(5, h.Servers[0].Requests);
    }

    [Fact]
    public async Task CallCancelledByTheCaller_TheCancellationKeepsWhereItWasThrown()
    {
        await using var h = await CallHarness.StartAsync(1);
        h.Servers[0].Mode = Fault.Slow;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var call = h.Client.GetAsync<Answer>("user-service", "/slow", cancellationToken: cancel.Token);
        while (Volatile.Read(ref h.Servers[0].Requests) == 0)
            await Task.Delay(10, Ct); // until the request is on the wire (a bounded poll of a real server, not a wait for time)

        await cancel.CancelAsync();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        // Rethrown with its origin (ExceptionDispatchInfo), not from the client's own frame only.
        Assert.Contains("System.Net.Http", cancelled.StackTrace, StringComparison.Ordinal);
    }
}
