using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.LoadHarness;

/// <summary>
/// One watcher of a service on its own raw loopback socket, cheap enough that 10,000 of them in the harness do not take the
/// cores from the agent: one reader loop each, a zero-byte receive while it waits (no buffer held by a parked watcher), a
/// pooled buffer only while bytes arrive. It counts the changes it has seen and when it saw the last one.
/// </summary>
internal abstract class Watcher : IDisposable
{
    private readonly Socket _socket;
    private long _seen;
    private long _lastSeen;

    protected Watcher(Socket socket) => _socket = socket;

    /// <summary>How many changes it has seen.</summary>
    public long Seen => Interlocked.Read(ref _seen);

    /// <summary>When it saw the last one (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public long LastSeen => Interlocked.Read(ref _lastSeen);

    /// <summary>Why it stopped watching (the agent refused or closed it); null while it watches.</summary>
    public string? Failure { get; private set; }

    /// <summary>The reader loop, started by the kind's <c>OpenAsync</c>.</summary>
    protected Task Reading { get; set; } = Task.CompletedTask;

    protected static async Task<Socket> ConnectAsync(Uri agent, CancellationToken stop)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(agent.Host, agent.Port, stop);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    protected ValueTask<int> SendAsync(string request, CancellationToken stop) => _socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, stop);

    /// <summary>Waits for bytes without a buffer, then reads what came into <paramref name="into"/>; 0 when the agent closed the connection.</summary>
    protected async ValueTask<int> ReceiveAsync(List<byte> into, CancellationToken stop)
    {
        await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, stop);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, stop);
            into.AddRange(buffer.AsSpan(0, read));
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected void SawChange(long at)
    {
        Interlocked.Exchange(ref _lastSeen, at);
        Interlocked.Increment(ref _seen);
    }

    protected void Failed(string why) => Failure ??= why;

    /// <summary>Runs the reader loop, recording why it ended unless the run stopped it.</summary>
    protected async Task GuardAsync(Func<Task> loop, CancellationToken stop)
    {
        try
        {
            await loop();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            if (!stop.IsCancellationRequested)
                Failed(e.Message);
        }
        catch (FormatException e)
        {
            Failed(e.Message);
        }
    }

    /// <summary>The status code of a response head starting "HTTP/1.1 200 OK"; 0 when it is not one.</summary>
    protected static int Status(string head) => head.Length > 12 && int.TryParse(head.AsSpan(9, 3), CultureInfo.InvariantCulture, out var status) ? status : 0;

    public void Dispose() => _socket.Dispose();
}

/// <summary>A blocking query parked again and again on one route: each answer with a higher index is a change seen.</summary>
internal sealed class BlockingQueryWatcher : Watcher
{
    private BlockingQueryWatcher(Socket socket)
        : base(socket)
    {
    }

    /// <summary>
    /// Connects and parks the first query of <paramref name="path"/> (<c>?index=</c> appended) at <paramref name="index"/>;
    /// after its n-th change it parks again once <paramref name="released"/>(n) completes (the harness's clients share the
    /// agent's 2 cores: parking again at once would time the harness's own requests along with the fan-out).
    /// </summary>
    public static async Task<BlockingQueryWatcher> OpenAsync(Uri agent, string path, string indexHeader, long index, Func<long, Task> released, CancellationToken stop)
    {
        var watcher = new BlockingQueryWatcher(await ConnectAsync(agent, stop));
        watcher.Reading = watcher.GuardAsync(() => watcher.WatchAsync(agent, path, indexHeader, index, released, stop), stop);
        return watcher;
    }

    private async Task WatchAsync(Uri agent, string path, string indexHeader, long index, Func<long, Task> released, CancellationToken stop)
    {
        var received = new List<byte>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        while (true)
        {
            await SendAsync(string.Create(CultureInfo.InvariantCulture, $"GET {path}{separator}index={index}&wait=5m HTTP/1.1\r\nHost: {agent.Authority}\r\n\r\n"), stop);
            received.Clear();
            int bodyStart;
            while ((bodyStart = HeadEnd(received)) < 0)
            {
                if (await ReceiveAsync(received, stop) == 0)
                    throw new FormatException("the agent closed the connection");
            }
            var head = Encoding.ASCII.GetString(received.GetRange(0, bodyStart).ToArray());
            var length = long.Parse(Header(head, "Content-Length") ?? throw new FormatException("an answer without Content-Length"), CultureInfo.InvariantCulture);
            while (received.Count - bodyStart < length)
            {
                if (await ReceiveAsync(received, stop) == 0)
                    throw new FormatException("the agent closed the connection");
            }
            var at = Stopwatch.GetTimestamp();
            if (Status(head) != 200)
            {
                Failed(head.Split("\r\n")[0] + ": " + Encoding.UTF8.GetString(received.GetRange(bodyStart, (int)length).ToArray()));
                return;
            }
            var answered = long.Parse(Header(head, indexHeader) ?? throw new FormatException($"an answer without {indexHeader}"), CultureInfo.InvariantCulture);
            if (answered > index)
            {
                SawChange(at);
                await released(Seen).WaitAsync(stop);
            }
            index = answered;
        }
    }

    private static int HeadEnd(List<byte> bytes)
    {
        for (var i = 3; i < bytes.Count; i++)
        {
            if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r')
                return i + 1;
        }
        return -1;
    }

    private static string? Header(string head, string name)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.Length > name.Length + 1 && line.StartsWith(name, StringComparison.OrdinalIgnoreCase) && line[name.Length] == ':')
                return line[(name.Length + 1)..].Trim();
        }
        return null;
    }
}

/// <summary>An event-stream subscriber: each <c>data:</c> line it reads is a change seen.</summary>
internal sealed class EventStreamWatcher : Watcher
{
    private static readonly byte[] Data = "\ndata: "u8.ToArray();

    private EventStreamWatcher(Socket socket)
        : base(socket)
    {
    }

    /// <summary>Connects, subscribes to <paramref name="service"/>'s events and returns once the agent answered (subscribed).</summary>
    public static async Task<EventStreamWatcher> OpenAsync(Uri agent, string service, CancellationToken stop)
    {
        var watcher = new EventStreamWatcher(await ConnectAsync(agent, stop));
        try
        {
            await watcher.SendAsync($"GET /service-discovery/events?service={service} HTTP/1.1\r\nHost: {agent.Authority}\r\n\r\n", stop);
            var first = new List<byte>();
            if (await watcher.ReceiveAsync(first, stop) == 0)
                throw new InvalidOperationException("the agent closed the event stream at once");
            var head = Encoding.ASCII.GetString(first.ToArray());
            if (Status(head) != 200)
                throw new InvalidOperationException($"the agent refused the subscription: {head.Split("\r\n")[0]} {head[(head.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]}");
            watcher.Reading = watcher.GuardAsync(() => watcher.WatchAsync(first, stop), stop);
            return watcher;
        }
        catch
        {
            watcher.Dispose();
            throw;
        }
    }

    private async Task WatchAsync(List<byte> received, CancellationToken stop)
    {
        while (true)
        {
            var at = Stopwatch.GetTimestamp();
            // Only the last few bytes are kept between reads, so a "\ndata: " split across two reads still counts once.
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(received);
            for (var i = span.IndexOf(Data); i >= 0; i = span.IndexOf(Data))
            {
                SawChange(at);
                span = span[(i + Data.Length)..];
            }
            var keep = span.Length < Data.Length ? span.ToArray() : span[^(Data.Length - 1)..].ToArray();
            received.Clear();
            received.AddRange(keep);
            if (await ReceiveAsync(received, stop) == 0)
            {
                Failed("the agent ended the event stream");
                return;
            }
        }
    }
}
