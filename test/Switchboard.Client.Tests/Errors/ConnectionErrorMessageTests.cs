using System.Net.Sockets;
using Switchboard.Client.Calls;
using Switchboard.Client.Internal;
using Switchboard.Client.RegistryApi;
using Switchboard.Client.Tests.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Errors;

/// <summary>A request that got no answer is reported with its cause (refused, reset) and the endpoint, not HttpClient's generic wrapper.</summary>
public sealed class ConnectionErrorMessageTests
{
    private const string Generic = "An error occurred while sending the request.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Registry_ClosedPort_MessageNamesConnectionRefusedAndEndpoint()
    {
        var port = Ports.Free();
        await using var provider = ClientServices.Build(new Dictionary<string, string?> { ["Switchboard:Registries:0"] = $"http://127.0.0.1:{port}" });

        var ex = await Assert.ThrowsAsync<RegistryUnavailableException>(() =>
            provider.GetRequiredService<ISwitchboardRegistryClient>().GetInstancesAsync("gis-service", cancellationToken: Ct));

        Assert.StartsWith("Cannot list instances: no registry answered", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"connection refused (127.0.0.1:{port})", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_ClosedPort_ErrorNamesConnectionRefusedAndEndpoint()
    {
        var port = Ports.Free();
        await using var provider = ClientServices.Build(new Dictionary<string, string?>
        {
            ["Switchboard:Static:dead-service"] = $"http://127.0.0.1:{port}",
            ["Switchboard:Defaults:MaxAttempts"] = "1",
        });

        var result = await provider.GetRequiredService<IServiceClient>().GetAsync<string>("dead-service", "/", cancellationToken: Ct);

        Assert.False(result.Success);
        Assert.Contains($"connection refused (127.0.0.1:{port})", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_ConnectionDroppedByServer_ErrorNamesTheCause()
    {
        await using var h = await CallHarness.StartAsync(1, new() { ["Switchboard:Defaults:MaxAttempts"] = "1" });
        h.Servers[0].Mode = Fault.Drop;

        var result = await h.Client.GetAsync<string>("user-service", "/", cancellationToken: Ct);

        Assert.False(result.Success);
        Assert.False(result.Error!.EndsWith(Generic, StringComparison.Ordinal), result.Error);
    }

    [Fact]
    public void Describe_GenericWrapperOverSocketError_NamesTheSocketErrorAndEndpoint()
    {
        var ex = new HttpRequestException(Generic, new IOException("Unable to read data from the transport connection.", new SocketException((int)SocketError.ConnectionReset)));
        Assert.Equal("connection reset by peer (10.0.0.5:9000)", TransportErrors.Describe(ex, new Uri("http://10.0.0.5:9000/api")));
    }

    [Fact]
    public void Describe_GenericWrapperWithoutSocketError_AppendsTheCauses()
    {
        var ex = new HttpRequestException(Generic, new IOException("The response ended prematurely."));
        Assert.Equal($"{Generic} (The response ended prematurely.)", TransportErrors.Describe(ex, null));
    }
}
