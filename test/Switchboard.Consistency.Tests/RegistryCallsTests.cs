using System.Net;
using System.Net.Sockets;
using System.Text;
using Switchboard.Consistency.Tests.Campaign;
using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests;

/// <summary>How the clients record a call's outcome when the agent dies under it.</summary>
public sealed class RegistryCallsTests
{
    /// <summary>
    /// An agent reads a write on a kept-alive connection (and so may have applied it), then dies without answering: the write's
    /// fate is unknown. SocketsHttpHandler used to send a request without a body again on a new connection, which the dead
    /// agent refused, and the write was recorded as refused (certainly not applied): the checker then reported the applied
    /// write's effect as a lost write (seed 16 of the Redis campaign: a deregistration sent to n2 just before its kill).
    /// </summary>
    [Theory]
    [InlineData("deregister")]
    [InlineData("heartbeat")]
    public async Task AWriteTheAgentReadThenDiedWithoutAnswering_IsUnknown(string kind)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var agent = new Endpoint("n2", new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"));
        var history = new History();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var calls = new RegistryCalls(history, http, client: 0, TimeSpan.FromSeconds(10));
        var requests = new List<string>();

        var server = Task.Run(async () =>
        {
            using var connection = await listener.AcceptTcpClientAsync(cancellationToken);
            var stream = connection.GetStream();
            requests.Add(await ReadRequestAsync(stream, cancellationToken));
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), cancellationToken);
            requests.Add(await ReadRequestAsync(stream, cancellationToken)); // read whole (applied), never answered:
            listener.Stop(); // the agent is gone, a new connection is refused,
        }, cancellationToken); // and its kept-alive connection closes (FIN: nothing left unread)

        Assert.Equal(Outcome.Ok, await calls.HeartbeatAsync(agent, "beta", "beta-4"));
        var outcome = kind == "deregister"
            ? await calls.DeregisterAsync(agent, "beta", "beta-4")
            : await calls.HeartbeatAsync(agent, "beta", "beta-4");
        await server;

        Assert.Equal(2, requests.Count);
        var last = history.Operations[^1];
        Assert.True(outcome == Outcome.Unknown, $"{last.Outcome}: {last.Detail}");
        Assert.Equal(Outcome.Unknown, last.Outcome);
    }

    /// <summary>Reads one request (its headers and its Content-Length body) and nothing more.</summary>
    private static async Task<string> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var one = new byte[1];
        while (received.Count < 4 || !(received[^4] == '\r' && received[^3] == '\n' && received[^2] == '\r' && received[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
                throw new IOException("The client closed the connection.");
            received.Add(one[0]);
        }
        var head = Encoding.ASCII.GetString([.. received]);
        var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        var body = new byte[length];
        if (length > 0)
            await stream.ReadExactlyAsync(body, cancellationToken);
        return head;
    }

    private sealed record Endpoint(string Name, Uri BaseUri) : IAgentEndpoint;
}
