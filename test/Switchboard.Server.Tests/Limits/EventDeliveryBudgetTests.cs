using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Tests.Limits;

/// <summary>The bytes per second all event streams share: a bucket refilled on the clock, and firehose subscribers that exhaust it.</summary>
public sealed class EventDeliveryBudgetTests
{
    [Fact]
    public async Task Budget_GrantsARefillsWorth_ThenWaitsForTheClock()
    {
        var time = new FakeTimeProvider();
        using var budget = new EventDeliveryBudget(bytesPerSecond: 2_000, time); // 100 bytes per 50 ms refill
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(100, budget.MaxBatchBytes);
        await budget.TakeAsync(100, ct);
        var next = budget.TakeAsync(100, ct);
        Assert.False(next.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(50));
        await next.WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact]
    public async Task Budget_SavesUpToAQuarterSecond_WhileQuiet()
    {
        var time = new FakeTimeProvider();
        using var budget = new EventDeliveryBudget(bytesPerSecond: 2_000, time); // 100 bytes per 50 ms refill, at most 500 saved
        var ct = TestContext.Current.CancellationToken;

        time.Advance(TimeSpan.FromSeconds(1)); // twenty refills while no stream sends: the bucket keeps a quarter second's
        for (var i = 0; i < 5; i++)
            Assert.True(budget.TakeAsync(100, ct).IsCompletedSuccessfully, $"take {i + 1} of the saved 500 bytes");
        var next = budget.TakeAsync(100, ct);
        Assert.False(next.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(50));
        await next.WaitAsync(TimeSpan.FromSeconds(30), ct);
    }

    [Fact]
    public void NoBudget_NeverWaits()
    {
        using var budget = new EventDeliveryBudget(bytesPerSecond: 0, new FakeTimeProvider());
        for (var i = 0; i < 1_000; i++)
            Assert.True(budget.TakeAsync(1_000_000, TestContext.Current.CancellationToken).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task FirehoseSubscriberPastTheBudget_IsCutOffWithTheReason_EveryWriteAnswered()
    {
        // 20,000 bytes/s = 1,000 bytes per refill; the fake clock never refills: the stream gets about two events, then
        // falls behind, and past its backlog of 8 it is cut off. The writes are answered all along.
        await using var server = await RegistryServer.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Switchboard:Limits:EventStreamBytesPerSecond"] = "20000",
            ["Switchboard:Limits:EventBacklog"] = "8",
        });
        var ct = TestContext.Current.CancellationToken;
        using var stream = await server.Client.GetAsync("/service-discovery/events", HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        using var body = new StreamReader(await stream.Content.ReadAsStreamAsync(ct));
        Assert.StartsWith(": switchboard events", await body.ReadLineAsync(ct), StringComparison.Ordinal);

        // The first event is read before the flood: a stream that wakes only after nine writes is rightly cut off with
        // nothing delivered, which would prove nothing about delivery within the budget.
        await RegisterAsync(server, 0, ct);
        var first = await ReadUntilAsync(body, "event: registered", ct);
        var reading = ReadAllAsync(body, ct);
        for (var i = 1; i < 200 && !reading.IsCompleted; i++)
            await RegisterAsync(server, i, ct);

        var text = first + await reading.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Contains("event: error\ndata: the subscriber fell more than 8 events behind", text, StringComparison.Ordinal);
        var delivered = text.Split("event: registered").Length - 1;
        Assert.InRange(delivered, 1, 8);
    }

    private static async Task RegisterAsync(RegistryServer server, int i, CancellationToken ct)
    {
        using var response = await server.Client.PostAsync("/service-discovery/register", new StringContent(
            $$"""{"service_name":"orders","instance_id":"i-{{i}}","host":"10.0.0.1","port":{{1 + i}}}""", Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task<string> ReadUntilAsync(StreamReader body, string wanted, CancellationToken ct)
    {
        var text = new StringBuilder();
        string? line;
        while ((line = await body.ReadLineAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(30), ct)) is not null)
        {
            text.Append(line).Append('\n');
            if (line == wanted)
                break;
        }
        return text.ToString();
    }

    private static async Task<string> ReadAllAsync(StreamReader body, CancellationToken ct)
    {
        var text = new StringBuilder();
        string? line;
        while ((line = await body.ReadLineAsync(ct)) is not null)
            text.Append(line).Append('\n');
        return text.ToString();
    }
}
