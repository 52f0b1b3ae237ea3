using System.Diagnostics;
using Switchboard.Client.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Calls;

public sealed class HeaderPropagationTests
{
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
