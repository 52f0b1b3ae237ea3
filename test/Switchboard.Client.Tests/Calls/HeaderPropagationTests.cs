using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Switchboard.Client.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Calls;

public sealed class HeaderPropagationTests
{
    [Fact]
    public async Task Call_InsideIncomingRequest_PropagatesItsRequestId()
    {
        await using var registry = await TestRegistry.StartAsync();
        await using var target = await FaultServer.StartAsync();
        registry.Upsert(target.Instance("user-service"));
        await using var app = await TestServer.StartAsync(
            a => a.MapGet("/forward", async (IServiceClient client) => (await client.GetAsync<Answer>("user-service", "/inner")).Success ? "ok" : "failed"),
            b =>
            {
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Switchboard:Registries:0"] = registry.BaseUri.ToString(), ["Switchboard:ServiceName"] = "gateway" });
                b.Services.AddHttpContextAccessor();
                b.Services.AddSwitchboard();
            });
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/forward");
        request.Headers.Add("X-Request-ID", "incoming-42");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("ok", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var seen = Assert.Single(target.Seen);
        Assert.Equal(("incoming-42", "gateway"), (seen.RequestId, seen.Caller));
    }

    [Fact]
    public async Task Call_WithActivityListener_SendsW3CTraceParentOfTheCallActivity()
    {
        // The listener is process-wide and other tests run in parallel: match by the trace id the server saw.
        var started = new System.Collections.Concurrent.ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Switchboard.Client",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var h = await CallHarness.StartAsync(1);

        var result = await h.Client.GetAsync<Answer>("user-service", "/traced", cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.Success, result.Error);
        var traceParent = Assert.Single(h.Servers[0].TraceParents);
        Assert.NotNull(traceParent);
        Assert.Contains(started, a => a.OperationName == "GET user-service" && traceParent.Contains(a.TraceId.ToHexString(), StringComparison.Ordinal));
    }
}
