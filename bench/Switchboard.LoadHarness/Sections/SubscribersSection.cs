using System.Net.Sockets;
using System.Text;

namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// What event-stream subscribers cost the writes: registrations/s with wrk and the agent's memory, with no subscriber and
/// then with <see cref="HarnessSettings.Subscribers"/> subscribers on <c>/service-discovery/events</c>: once subscribers that
/// read every event (a firehose each), once subscribers that each watch one of the services being written (how the SDK and
/// dashboards watch: <c>?service=</c>).
/// </summary>
internal static class SubscribersSection
{
    /// <summary>
    /// The agent's limits are raised for this section: every subscriber comes from 127.0.0.1, so the default per-client
    /// limits would refuse most of them (an agent without limits ignores the keys).
    /// </summary>
    private static readonly Dictionary<string, string> Unlimited = new()
    {
        ["Switchboard__Limits__MaxConnectionsPerClient"] = "100000",
        ["Switchboard__Limits__MaxEventSubscribersPerClient"] = "100000",
        ["Switchboard__Limits__MaxEventSubscribers"] = "100000",
    };

    public static async Task RunAsync(Harness h)
    {
        var s = h.Settings;
        var rows = new List<string[]>();
        var stores = new (string Store, string[] Args)[]
        {
            ("memory (--dev)", ["--dev"]),
            ("embedded (fsync)", ["--data-dir", Path.Combine(h.Scratch, "subscribers-data")]),
        };
        foreach (var (store, args) in stores)
            await MeasureAsync(h, store, args, rows);
        h.Report.Section("Event-stream subscribers and writes",
            $"A fresh agent per store (per-client limits raised for the one loopback client); `wrk -t2 -c64 -d{s.Duration.TotalSeconds}s` registrations of new instances with no subscriber, then with {s.Subscribers:N0} "
            + "subscribers on `/service-discovery/events` (raw sockets reading and discarding every byte). Slowdown = registrations/s alone / with subscribers. RSS from /proc/<pid>/status when the subscribers are connected and after the run; "
            + "subscribers whose stream the agent ended during the run (it cuts off one that falls more than its backlog behind; before the limits it dropped the oldest events silently instead) and what the subscribers read in all.");
        h.Report.Table(["store, subscribers", "registrations/s", "register p99 ms", "slowdown", "agent RSS MiB before run", "agent RSS MiB after run", "errors", "subscribers cut off", "MiB read by subscribers"], rows);
    }

    private static async Task MeasureAsync(Harness h, string store, string[] args, List<string[]> rows)
    {
        var s = h.Settings;
        using var agent = await h.StartAgentAsync(Unlimited, args);
        // Each run registers instances of its own: a re-registration of an unchanged instance publishes no event.
        await Wrk.WarmUpAsync(s, agent.Address, RegistryLoad.RegisterScript(h.Scratch, "warm"));
        var rssBefore = agent.ResidentMiB();
        var alone = await Wrk.RunAsync("registrations", agent.Address, s.Duration, luaScript: RegistryLoad.RegisterScript(h.Scratch, "alone"));
        rows.Add([$"{store}, 0", Report.F(alone.RequestsPerSecond), Report.Ms(alone.P99Ms), "1.00x", Report.F(rssBefore), Report.F(agent.ResidentMiB()), Report.N(alone.Failures), "-", "-"]);

        await MeasureSubscribedAsync(h, agent, store, alone, "every event", "all", _ => "", rows);
        // The registration script writes services reg-0 .. reg-999: each of these subscribers gets a thousandth of the events.
        await MeasureSubscribedAsync(h, agent, store, alone, "one service each", "one", i => $"?service=reg-{i % 1000}", rows);
    }

    private static async Task MeasureSubscribedAsync(Harness h, ChildProcess agent, string store, WrkResult alone, string what, string runPrefix, Func<int, string> query, List<string[]> rows)
    {
        var s = h.Settings;
        using var stop = new CancellationTokenSource();
        var subscribers = new List<Subscriber>(s.Subscribers);
        try
        {
            for (var i = 0; i < s.Subscribers; i++)
                subscribers.Add(await Subscriber.OpenAsync(agent.Address, query(i), stop.Token));
            var rssSubscribed = agent.ResidentMiB();
            var loaded = await Wrk.RunAsync("registrations", agent.Address, s.Duration, luaScript: RegistryLoad.RegisterScript(h.Scratch, "subscribed-" + runPrefix));
            var open = subscribers.Count(r => r.IsOpen);
            var received = subscribers.Sum(r => r.Bytes) / (1024.0 * 1024.0);
            rows.Add([$"{store}, {s.Subscribers:N0} ({what})", Report.F(loaded.RequestsPerSecond), Report.Ms(loaded.P99Ms), Report.Ratio(alone.RequestsPerSecond, loaded.RequestsPerSecond),
                Report.F(rssSubscribed), Report.F(agent.ResidentMiB()), Report.N(loaded.Failures), Report.N(s.Subscribers - open), Report.F(received)]);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var subscriber in subscribers)
                subscriber.Dispose();
        }
    }

    /// <summary>One raw-socket subscriber that reads (and drops) the stream until it ends or the run stops.</summary>
    private sealed class Subscriber : IDisposable
    {
        private readonly Socket _socket;
        private readonly Task _reading;

        private Subscriber(Socket socket, int firstRead, CancellationToken stop)
        {
            _socket = socket;
            _bytes = firstRead;
            _reading = ReadAsync(stop);
        }

        private long _bytes;

        /// <summary>How many bytes it has read so far.</summary>
        public long Bytes => Interlocked.Read(ref _bytes);

        /// <summary>Whether the agent still streams to it (it asked for <c>Connection: close</c>, so a stream the agent ends closes the socket).</summary>
        public bool IsOpen => !_reading.IsCompleted;

        public static async Task<Subscriber> OpenAsync(Uri agent, string query, CancellationToken stop)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(agent.Host, agent.Port, stop);
                await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /service-discovery/events{query} HTTP/1.1\r\nHost: {agent.Authority}\r\nConnection: close\r\n\r\n"), stop);
                // Subscribed once the agent answers (its first flush carries the headers and the opening comment): the run
                // starts only when every subscriber is in place.
                var first = new byte[8192];
                var read = await socket.ReceiveAsync(first, stop);
                return new Subscriber(socket, read, stop);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private async Task ReadAsync(CancellationToken stop)
        {
            var buffer = new byte[8192];
            try
            {
                int read;
                while ((read = await _socket.ReceiveAsync(buffer, stop)) > 0)
                    Interlocked.Add(ref _bytes, read);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // the run ended, or the agent closed the stream
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
