using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Client.Tests.TestSupport;

/// <summary>A UDP DNS responder on 127.0.0.1 answering SRV queries from a table (RFC 1035 / 2782 wire format).</summary>
internal sealed class FakeDnsServer : IAsyncDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (ushort Priority, ushort Weight, ushort Port, string Target)[]> _srv;
    private readonly Task _loop;

    public FakeDnsServer(Dictionary<string, (ushort Priority, ushort Weight, ushort Port, string Target)[]> srv)
    {
        _srv = new(srv, StringComparer.OrdinalIgnoreCase);
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public int Queries;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Interlocked.Increment(ref Queries);
            var answer = Answer(received.Buffer);
            await _udp.SendAsync(answer, received.RemoteEndPoint, _stop.Token);
        }
    }

    private byte[] Answer(byte[] query)
    {
        // Header (12 bytes), then the question: name labels, type, class.
        var offset = 12;
        var labels = new List<string>();
        while (query[offset] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, offset + 1, query[offset]));
            offset += query[offset] + 1;
        }
        var questionEnd = offset + 5;
        var name = string.Join('.', labels);
        var records = _srv.TryGetValue(name, out var r) ? r : [];

        using var response = new MemoryStream();
        response.Write(query, 0, 2);                                   // id
        response.Write([0x81, 0x80]);                                  // response, recursion desired + available, no error
        Write16(response, 1);                                          // questions
        Write16(response, (ushort)records.Length);                     // answers
        Write16(response, 0);
        Write16(response, 0);
        response.Write(query, 12, questionEnd - 12);                   // the question, echoed
        foreach (var (priority, weight, port, target) in records)
        {
            response.Write([0xC0, 0x0C]);                              // pointer to the question's name
            Write16(response, 33);                                     // SRV
            Write16(response, 1);                                      // IN
            response.Write([0, 0, 0, 60]);                             // TTL 60 s
            var targetBytes = EncodeName(target);
            Write16(response, (ushort)(6 + targetBytes.Length));
            Write16(response, priority);
            Write16(response, weight);
            Write16(response, port);
            response.Write(targetBytes);
        }
        return response.ToArray();
    }

    private static byte[] EncodeName(string name)
    {
        using var s = new MemoryStream();
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            s.WriteByte((byte)label.Length);
            s.Write(Encoding.ASCII.GetBytes(label));
        }
        s.WriteByte(0);
        return s.ToArray();
    }

    private static void Write16(Stream s, ushort value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        s.Write(b);
    }
}
