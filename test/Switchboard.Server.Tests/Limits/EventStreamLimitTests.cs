using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Server.Tests.Limits;

/// <summary>Event-stream subscribers against the real agent process: the per-client limit, and a subscriber that stops reading.</summary>
public sealed class EventStreamLimitTests
{
    [Fact]
    public async Task SubscribersPastThePerClientLimit_Refused429WithTheReason_OthersStillSubscribe()
    {
        await using var agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string> { ["Switchboard__Limits__MaxEventSubscribersPerClient"] = "2" },
            WriteOutputOnDispose = true,
        });
        using var first = Loopback.From("127.0.0.1", agent.BaseUri);
        var ct = TestContext.Current.CancellationToken;
        var streams = new List<HttpResponseMessage>();
        try
        {
            for (var i = 0; i < 2; i++)
                streams.Add(await SubscribeAsync(first, "/service-discovery/events"));

            using var refused = await first.GetAsync("/service-discovery/events?service=orders", HttpCompletionOption.ResponseHeadersRead, ct);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("at most 2 per client (Switchboard:Limits:MaxEventSubscribersPerClient)", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

            using var other = Loopback.From("127.0.0.2", agent.BaseUri);
            streams.Add(await SubscribeAsync(other, "/service-discovery/events?service=orders"));
        }
        finally
        {
            foreach (var stream in streams)
                stream.Dispose();
        }
    }

    [Fact]
    public async Task SubscriberThatNeverReads_IsCutOffAfterItsBacklog_WritesKeepBeingAnswered()
    {
        await using var agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string>
            {
                ["Switchboard__Limits__EventBacklog"] = "16",
                ["Logging__LogLevel__Default"] = "Warning", // the cut-off is a warning; request logs would only grow the output
            },
            WriteOutputOnDispose = true,
        });
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient { BaseAddress = agent.BaseUri };
        using var slow = await Loopback.IdleAsync(agent.BaseUri, receiveBuffer: 1024);
        await slow.SendAsync(Encoding.ASCII.GetBytes($"GET /service-discovery/events HTTP/1.1\r\nHost: {agent.BaseUri.Authority}\r\n\r\n"), ct);
        using var reading = await SubscribeAsync(http, "/service-discovery/events?service=orders-0"); // subscribed after the slow one: the slow one is subscribed too

        // Registrations with a large metadata value fill the socket buffers, then the backlog; each one is answered.
        var metadata = string.Join(",", Enumerable.Range(0, 8).Select(i => $"\"pad{i}\":\"{new string('x', 500)}\""));
        var registrations = 0;
        while (!CutOff(agent))
        {
            Assert.True(registrations < 20_000, "the slow subscriber was never cut off");
            using var response = await http.PostAsync("/service-discovery/register", new StringContent(
                $$$"""{"service_name":"orders-{{{registrations % 7}}}","instance_id":"i-{{{registrations}}}","host":"10.0.0.1","port":{{{1 + registrations}}},"metadata":{{{{metadata}}}}}""",
                Encoding.UTF8, "application/json"), ct);
            Assert.True(response.IsSuccessStatusCode, $"registration {registrations} answered {(int)response.StatusCode}");
            registrations++;
        }
        Assert.Contains(agent.Lines, l => l.Contains("more than 16 events behind", StringComparison.Ordinal));

        // Writes go on; the slow subscriber's stream ends (the final error event if it could still go out, else a close).
        using (var after = await http.PostAsync("/service-discovery/register", new StringContent("""{"service_name":"orders-0","host":"10.9.9.9","port":1}""", Encoding.UTF8, "application/json"), ct))
            Assert.True(after.IsSuccessStatusCode);
        var tail = await ReadToEndAsync(slow);
        if (tail.Clean)
            Assert.Contains("event: error\ndata: the subscriber fell more than 16 events behind", tail.Text, StringComparison.Ordinal);

        // The filtered subscriber that reads keeps receiving its service's events.
        using var body = new StreamReader(await reading.Content.ReadAsStreamAsync(ct));
        string? line;
        while ((line = await body.ReadLineAsync(ct)) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
        }
        Assert.Contains("\"service_name\":\"orders-0\"", line, StringComparison.Ordinal);
        Assert.False(agent.HasExited);
    }

    private static bool CutOff(ServiceProcess agent) => agent.Lines.Any(l => l.Contains("Cut off the event stream", StringComparison.Ordinal));

    /// <summary>Opens a stream and reads its first line (written once the subscription is in place).</summary>
    private static async Task<HttpResponseMessage> SubscribeAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        try
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            var first = new byte[1];
            Assert.Equal(1, await stream.ReadAsync(first, TestContext.Current.CancellationToken));
            Assert.Equal((byte)':', first[0]);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Reads the socket until the agent ends the stream (30 s at most); whether it ended with a clean close and the last bytes.</summary>
    private static async Task<(bool Clean, string Text)> ReadToEndAsync(Socket socket)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new byte[64 * 1024];
        var tail = "";
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
                tail = (tail + Encoding.UTF8.GetString(buffer, 0, read))[^Math.Min(tail.Length + read, 8192)..];
            return (true, tail);
        }
        catch (SocketException)
        {
            return (false, tail);
        }
    }
}
