using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Cli.Tests.Dns;

/// <summary>The real agent with its DNS port, queried with Debian's <c>dig</c>; registrations through the Consul API.</summary>
internal sealed partial class DnsAgent : IAsyncDisposable
{
    private DnsAgent(ServiceProcess agent, int dnsPort)
    {
        Agent = agent;
        DnsPort = dnsPort;
    }

    public ServiceProcess Agent { get; }

    public int DnsPort { get; }

    public static async Task<DnsAgent> StartAsync(IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var port = Ports.Free();
        var agent = await AgentProcess.StartAsync(["--dev", "--dns-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args],
            new AgentProcess.Options { Environment = environment, WriteOutputOnDispose = true });
        return new DnsAgent(agent, port);
    }

    /// <summary>Registers through <c>PUT /v1/agent/service/register</c>.</summary>
    public async Task RegisterAsync(string json, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/agent/service/register") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null)
            request.Headers.Add("X-Consul-Token", token);
        using var response = await Agent.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A Consul API PUT that must succeed.</summary>
    public async Task PutAsync(string path, string? token = null, string body = "")
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null)
            request.Headers.Add("X-Consul-Token", token);
        using var response = await Agent.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Runs <c>dig @127.0.0.1 -p PORT args...</c> (one try, 2 s timeout) and reads its answer.</summary>
    public async Task<DigAnswer> DigAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("dig", ["@127.0.0.1", "-p", DnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "+tries=1", "+time=2", .. args]);
        return DigAnswer.Parse(result.Stdout + result.Stderr);
    }

    public ValueTask DisposeAsync() => Agent.DisposeAsync();
}

/// <summary>What <c>dig</c> printed: the status, the header flags and the records of each section.</summary>
internal sealed partial record DigAnswer(string Status, IReadOnlyList<string> Flags, IReadOnlyList<string[]> Answer, IReadOnlyList<string[]> Authority, IReadOnlyList<string[]> Additional, string Text)
{
    /// <summary>The last field of each answer record of <paramref name="type"/> (an address, an SRV target).</summary>
    public IReadOnlyList<string> Values(string type) => [.. Answer.Where(r => r[3] == type).Select(r => r[^1])];

    public static DigAnswer Parse(string text)
    {
        var status = StatusLine().Match(text) is { Success: true } m ? m.Groups[1].Value : "NO ANSWER";
        var flags = FlagsLine().Match(text) is { Success: true } f ? f.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        return new DigAnswer(status, flags, Section(text, "ANSWER"), Section(text, "AUTHORITY"), Section(text, "ADDITIONAL"), text);
    }

    private static List<string[]> Section(string text, string name)
    {
        var records = new List<string[]>();
        var inSection = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith($";; {name} SECTION:", StringComparison.Ordinal))
            {
                inSection = true;
                continue;
            }
            if (!inSection)
                continue;
            if (line.Length == 0 || line.StartsWith(';'))
                break;
            // name ttl class type data...
            records.Add(line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries) is [var owner, var ttl, var cls, var type, .. var data]
                ? [owner, ttl, cls, type, .. data]
                : [line]);
        }
        return records;
    }

    [GeneratedRegex(@"status: ([A-Z]+)")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@";; flags: ([a-z ]+);")]
    private static partial Regex FlagsLine();
}

/// <summary>Raw packets for the bad-input tests.</summary>
internal static class RawDns
{
    public static async Task SendUdpAsync(int port, byte[] packet)
    {
        using var udp = new UdpClient(System.Net.Sockets.AddressFamily.InterNetwork);
        await udp.SendAsync(packet, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
    }

    /// <summary>Connects, writes <paramref name="bytes"/>, and waits (bounded) for the agent to answer or close.</summary>
    public static async Task SendTcpAsync(int port, byte[] bytes)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(bytes);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            var buffer = new byte[512];
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // closed by the agent (reset), or still open when the bound ran out: either way it did not crash
        }
    }
}
