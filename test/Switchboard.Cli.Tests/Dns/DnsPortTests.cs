using System.Net;
using System.Net.Sockets;

namespace Switchboard.Cli.Tests.Dns;

/// <summary>How the agent takes its DNS port: a port it was told to use must be free; a bad value is refused.</summary>
public sealed class DnsPortTests
{
    [Fact]
    public async Task NamedDnsPortInUse_AgentDoesNotStart_AndSaysWhy()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;

        var result = await AgentProcess.RunToExitAsync(["--dev", "--dns-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"cannot listen for DNS on 127.0.0.1:{port}: the port is already in use", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--dns-port 0", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dns-port", "70000", "--dns-port must be between 0 (off) and 65535")]
    [InlineData("--dns-domain", "bad..domain", "--dns-domain must be dot-separated labels")]
    public async Task BadDnsFlags_AreRefusedBeforeStart(string flag, string value, string message)
    {
        var result = await AgentProcess.RunToExitAsync(["--dev", flag, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }
}
