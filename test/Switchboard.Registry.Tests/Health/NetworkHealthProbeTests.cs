using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Tests.Health;

public sealed class NetworkHealthProbeTests
{
    private static (ServiceInstance Instance, HealthCheckSpec Check) Target(Uri address, HealthCheckSpec check)
        => (new() { InstanceId = "t", ServiceName = "t", Host = address.Host, Port = address.Port }, check);

    private static Task<(HealthStatus Status, string Output)> ProbeAsync(NetworkHealthProbe probe, (ServiceInstance Instance, HealthCheckSpec Check) target)
        => probe.ProbeAsync(target.Instance, target.Check, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("/ok", HealthStatus.Passing)]
    [InlineData("/busy", HealthStatus.Warning)]
    [InlineData("/fail", HealthStatus.Critical)]
    [InlineData("/missing", HealthStatus.Critical)]
    public async Task Http_StatusCodes_MapToHealth(string path, HealthStatus expected)
    {
        await using var target = await TargetServer.StartAsync();
        using var probe = new NetworkHealthProbe(TimeProvider.System);

        var (status, output) = await ProbeAsync(probe, Target(target.BaseUri, new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = path }));

        Assert.Equal(expected, status);
        if (expected == HealthStatus.Passing)
            Assert.Equal("""{"status":"healthy","uptime":42}""", output);
        else
            Assert.Contains($"HTTP GET {target.BaseUri.ToString().TrimEnd('/')}{path}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_AbsoluteUrl_IsUsedAsIs()
    {
        await using var target = await TargetServer.StartAsync();
        using var probe = new NetworkHealthProbe(TimeProvider.System);
        var instance = new ServiceInstance { InstanceId = "t", ServiceName = "t", Host = "example.invalid", Port = 1 };

        var (status, _) = await probe.ProbeAsync(instance, new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = new Uri(target.BaseUri, "/ok").ToString() }, TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Passing, status);
    }

    [Fact]
    public async Task Http_NoAnswerWithinTimeout_Critical()
    {
        await using var target = await TargetServer.StartAsync();
        var time = new FakeTimeProvider();
        using var probe = new NetworkHealthProbe(time);

        var probing = ProbeAsync(probe, Target(target.BaseUri, new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/hang", Timeout = TimeSpan.FromSeconds(5) }));
        for (var i = 0; i < 500 && !probing.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(probing, Task.Delay(10, TestContext.Current.CancellationToken));
        }

        var (status, output) = await probing;
        Assert.Equal(HealthStatus.Critical, status);
        Assert.Contains("timed out", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_ConnectionRefused_Critical()
    {
        var port = Ports.Free();
        using var probe = new NetworkHealthProbe(TimeProvider.System);

        var (status, output) = await ProbeAsync(probe, Target(new Uri($"http://127.0.0.1:{port}"), new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/health" }));

        Assert.Equal(HealthStatus.Critical, status);
        Assert.EndsWith("/health: no connection", output, StringComparison.Ordinal); // not the socket error: that would map ports
    }

    [Fact]
    public async Task Tcp_ListeningPortPasses_ClosedPortIsCritical()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var open = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var probe = new NetworkHealthProbe(TimeProvider.System);
        var tcp = new HealthCheckSpec { Kind = HealthCheckKind.Tcp };

        var closed = Ports.Free();
        var (up, _) = await ProbeAsync(probe, Target(new Uri($"http://127.0.0.1:{open}"), tcp));
        var (down, output) = await ProbeAsync(probe, Target(new Uri($"http://127.0.0.1:{closed}"), tcp));

        Assert.Equal(HealthStatus.Passing, up);
        Assert.Equal(HealthStatus.Critical, down);
        Assert.Equal($"TCP connect 127.0.0.1:{closed}: critical", output); // passing or critical, never the socket error
    }

    [Fact]
    public async Task Http_Redirect_IsNotFollowed_AndIsCritical()
    {
        await using var target = await TargetServer.StartAsync();
        using var probe = new NetworkHealthProbe(TimeProvider.System);

        var (status, output) = await ProbeAsync(probe, Target(target.BaseUri, new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/redirect" }));

        Assert.Equal(HealthStatus.Critical, status);
        Assert.EndsWith("/redirect: 302 Found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_ErrorAnswer_RecordsTheStatusLine_NeverTheBody()
    {
        await using var target = await TargetServer.StartAsync();
        using var probe = new NetworkHealthProbe(TimeProvider.System);

        var (status, output) = await ProbeAsync(probe, Target(target.BaseUri, new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/fail" }));

        Assert.Equal(HealthStatus.Critical, status);
        Assert.Equal($"HTTP GET {target.BaseUri.ToString().TrimEnd('/')}/fail: 500 Internal Server Error", output);
    }

    [Fact]
    public async Task LinkLocalTarget_IsNeverConnected()
    {
        using var probe = new NetworkHealthProbe(TimeProvider.System);
        var instance = new ServiceInstance { InstanceId = "t", ServiceName = "t", Host = "169.254.169.254", Port = 80 };

        var (http, httpOutput) = await probe.ProbeAsync(instance, new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/latest/meta-data/" }, TestContext.Current.CancellationToken);
        var (tcp, tcpOutput) = await probe.ProbeAsync(instance, new HealthCheckSpec { Kind = HealthCheckKind.Tcp }, TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Critical, http);
        Assert.Contains("may not reach", httpOutput, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Critical, tcp);
        Assert.Contains("may not reach", tcpOutput, StringComparison.Ordinal);
    }
}
