using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchboard.Client.Calls;
using Switchboard.Client.Tests.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Telemetry;

/// <summary>The SDK's metrics beside what it already counted: load-balancing picks by policy, cache lookups, and Polly's own retry events.</summary>
public sealed class ClientMetricsTests
{
    [Fact]
    public async Task RetriedCachedCall_CountsPicksByPolicy_CacheMissThenHit_AndPollyRetryEvents()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await CallHarness.StartAsync(2, new() { ["Switchboard:LoadBalancingPolicy"] = "FirstAvailable" });
        var first = h.Servers.OrderBy(s => $"user-service-{s.Port}", StringComparer.Ordinal).First();
        first.Mode = Fault.Fail;
        var factory = h.Services.GetRequiredService<IMeterFactory>();
        var seen = new ConcurrentQueue<(string Instrument, long Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // This test's own client meter, and Polly's (shared by every pipeline of the process: only ours retries on user-service here).
            if (instrument.Meter.Scope == factory || instrument.Meter.Name == "Polly")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            seen.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
            seen.Enqueue((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        var cached = new CallOptions { Cache = new CacheOptions { Ttl = TimeSpan.FromMinutes(5) } };

        var called = await h.Client.GetAsync<Answer>("user-service", "/x", cached, ct);
        var replayed = await h.Client.GetAsync<Answer>("user-service", "/x", cached, ct);

        Assert.True(called.Success, called.Error);
        Assert.Equal(2, called.Attempts);
        Assert.True(replayed.FromCache);
        var picks = Assert.Single(seen, m => m.Instrument == "switchboard.client.load_balancing.picks");
        Assert.Equal(2, picks.Value);
        Assert.Equal("FirstAvailable", picks.Tags["switchboard.policy"]?.ToString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(["miss", "hit"], seen.Where(m => m.Instrument == "switchboard.client.cache.lookups").Select(m => m.Tags["switchboard.cache.result"]));
        Assert.Contains(seen, m => m.Instrument == "resilience.polly.strategy.events" && Equals(m.Tags.GetValueOrDefault("event.name"), "OnRetry"));
    }

    [Fact]
    public async Task BreakerOpens_TransitionCountedWithTheStateAsSpansAndDocsSpellIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await CallHarness.StartAsync(1, new() { ["Switchboard:Defaults:MaxAttempts"] = "1", ["Switchboard:Defaults:FailureThreshold"] = "2" });
        h.Servers[0].Mode = Fault.Fail;
        var factory = h.Services.GetRequiredService<IMeterFactory>();
        var states = new ConcurrentQueue<string?>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "switchboard.client.circuit_breaker.transitions")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "switchboard.state")
                    states.Enqueue(tag.Value?.ToString());
            }
        });
        listener.Start();

        for (var i = 0; i < 2; i++)
            await h.Client.GetAsync<Answer>("user-service", "/x", cancellationToken: ct);

        Assert.Equal(["open"], states); // docs/observability.md's query: switchboard_state="open"
    }
}
