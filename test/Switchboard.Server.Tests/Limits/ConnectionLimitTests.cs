using System.Net;
using System.Net.Sockets;

namespace Switchboard.Server.Tests.Limits;

/// <summary>Idle connections against the real agent process: the limits refuse what is past them and the agent keeps answering.</summary>
public sealed class ConnectionLimitTests
{
    /// <summary>Generous: the agent idles near 100 MiB; the finding grew by ~100 MB/s until it died.</summary>
    private const double RssBoundMiB = 1024;

    [Fact]
    public async Task IdleConnectionsPastThePerClientLimit_Refused429_OtherClientsAnswered_AndAllOnceTheyClose()
    {
        await using var agent = await AgentProcess.StartAsync(["--dev", "--max-conns-per-client", "20"], new AgentProcess.Options { WriteOutputOnDispose = true });
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 60; i++)
                idle.Add(await Loopback.IdleAsync(agent.BaseUri));

            // Every one counted (the agent logs each refusal): 127.0.0.1 holds its 20, the other 40 were refused and closed,
            // so a 61st connection from it is refused at once, with the reason.
            await Loopback.UntilAsync(() => Task.FromResult(Refusals(agent) == 40), "the agent to refuse 40 of the 60 idle connections");
            var refused = await Loopback.RawGetAsync(agent.BaseUri, "/health");
            Assert.StartsWith("HTTP/1.1 429 Too Many Requests", refused, StringComparison.Ordinal);
            Assert.Contains("Retry-After: ", refused, StringComparison.Ordinal);
            Assert.Contains("at most 20 per client (Switchboard:Limits:MaxConnectionsPerClient)", refused, StringComparison.Ordinal);

            // Another client address is not affected.
            using (var other = Loopback.From("127.0.0.2", agent.BaseUri))
            using (var health = await other.GetAsync("/health", TestContext.Current.CancellationToken))
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.False(agent.HasExited);
            Assert.True(Loopback.ResidentMiB(agent.ProcessId) < RssBoundMiB);
        }
        finally
        {
            foreach (var socket in idle)
                socket.Dispose();
        }

        // Once they close, 127.0.0.1 is answered again.
        await Loopback.UntilAsync(async () => (await Loopback.RawGetAsync(agent.BaseUri, "/health")).StartsWith("HTTP/1.1 200", StringComparison.Ordinal), "/health to answer 200 again");
        Assert.False(agent.HasExited);
    }

    [Fact]
    public async Task IdleConnectionsPastTheDescriptorLimit_DefaultLimits_KeepTheAgentBelowIt_AliveAndAnswering()
    {
        // 1,024 descriptors and no per-client limit: only the default total (derived from the descriptor limit) protects it.
        await using var agent = await AgentProcess.StartAsync(["--dev", "--max-conns-per-client", "0"], new AgentProcess.Options { OpenFileLimit = 1024, WriteOutputOnDispose = true });
        Assert.Contains(agent.Lines, l => l.Contains("Open-file limit (RLIMIT_NOFILE): soft 1024 raised to 1024, hard 1024", StringComparison.Ordinal));
        var limitLine = agent.Lines.Single(l => l.Contains("Limits: ", StringComparison.Ordinal));
        var maxConnections = int.Parse(limitLine[(limitLine.IndexOf("Limits: ", StringComparison.Ordinal) + 8)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(maxConnections, 1, 1024 - 256);
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 1500; i++)
                idle.Add(await Loopback.IdleAsync(agent.BaseUri));

            // Every connection past the limit is accepted and closed by Kestrel (it logs each): the accept loop never meets EMFILE.
            await Loopback.UntilAsync(() => Task.FromResult(KestrelRejections(agent) == 1500 - maxConnections), $"Kestrel to reject {1500 - maxConnections} of the 1,500 idle connections");
            Assert.False(agent.HasExited);
            Assert.True(Loopback.ResidentMiB(agent.ProcessId) < RssBoundMiB);
        }
        finally
        {
            foreach (var socket in idle)
                socket.Dispose();
        }

        await Loopback.UntilAsync(async () => (await Loopback.RawGetAsync(agent.BaseUri, "/health")).StartsWith("HTTP/1.1 200", StringComparison.Ordinal), "/health to answer 200 again");
        Assert.False(agent.HasExited);
        Assert.DoesNotContain(agent.Lines, l => l.Contains("Out of memory", StringComparison.Ordinal));
    }

    private static int Refusals(ServiceProcess agent) => agent.Lines.Count(l => l.Contains("Refused a connection from 127.0.0.1", StringComparison.Ordinal));

    private static int KestrelRejections(ServiceProcess agent) => agent.Lines.Count(l => l.Contains("rejected because the maximum number of concurrent connections has been reached", StringComparison.Ordinal));

    [Fact]
    public async Task IdleConnectionsPastTheTotalLimit_ClosedByKestrel_TheAgentStaysUpAndAnswersOnceTheyClose()
    {
        await using var agent = await AgentProcess.StartAsync(["--dev", "--max-connections", "30", "--max-conns-per-client", "0"], new AgentProcess.Options { WriteOutputOnDispose = true });
        Assert.Contains(agent.Lines, l => l.Contains("Open-file limit (RLIMIT_NOFILE)", StringComparison.Ordinal));
        Assert.Contains(agent.Lines, l => l.Contains("Limits: 30 connections", StringComparison.Ordinal));
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 90; i++)
                idle.Add(await Loopback.IdleAsync(agent.BaseUri));

            // 30 are held (Kestrel logs each rejection): it closes any further connection without an answer, from any address.
            await Loopback.UntilAsync(() => Task.FromResult(KestrelRejections(agent) == 60), "Kestrel to reject 60 of the 90 idle connections");
            Assert.Equal("", await Loopback.RawGetAsync(agent.BaseUri, "/health", source: "127.0.0.3"));
            Assert.False(agent.HasExited);
            Assert.True(Loopback.ResidentMiB(agent.ProcessId) < RssBoundMiB);
        }
        finally
        {
            foreach (var socket in idle)
                socket.Dispose();
        }

        await Loopback.UntilAsync(async () => (await Loopback.RawGetAsync(agent.BaseUri, "/health")).StartsWith("HTTP/1.1 200", StringComparison.Ordinal), "/health to answer 200 again");
        Assert.False(agent.HasExited);
    }
}
