using StackExchange.Redis;

namespace Switchboard.Registry.Redis.Tests.Agents;

public sealed partial class AgentClusterTests
{
    [Fact]
    public async Task Agent_LostChangesOfTheSharedStore_EventStreamSaysResyncAndEnds()
    {
        var a = await StartAgentAsync("a");
        await a.RegisterAsync("o1");
        using var response = await a.Client.GetAsync("/service-discovery/events?service=orders", HttpCompletionOption.ResponseHeadersRead, Ct);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        Assert.StartsWith(": switchboard events", await stream.ReadLineAsync(Ct), StringComparison.Ordinal);

        // A change whose predecessor the agent never received: it lost messages, as when its subscription drops.
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString))
        {
            var global = (long)await redis.GetDatabase().StringGetAsync("{" + _ns + "}:index");
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("{" + _ns + "}:changes"), $$"""{"i":{{global + 5}},"b":{{global + 4}},"t":"sync","n":"elsewhere"}""");
        }

        var rest = await stream.ReadToEndAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        Assert.Contains("event: error\ndata: resync: this agent missed changes", rest, StringComparison.Ordinal);
        Assert.DoesNotContain("Switchboard:Limits", rest, StringComparison.Ordinal); // not a cut-off for falling behind
    }
}
