using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Switchboard.Server.Tests.Api;

/// <summary>
/// Requests sent as curl and wrk send a <c>PUT</c> without data: HTTP/1.1 with neither <c>Content-Length</c> nor chunked
/// encoding, so no body at all. A heartbeat answers without reading one; a registration, which needs one, says so; a
/// chunked body is still read.
/// </summary>
public sealed class BodylessRequestTests
{
    [Fact]
    public async Task HeartbeatWithoutLengthOrBody_RenewsTheLease()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server);
        server.Time.Advance(TimeSpan.FromSeconds(20));

        var answer = await RawAsync(server, "PUT /service-discovery/instances/api-1/heartbeat HTTP/1.1\r\n");

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"passing\"", answer, StringComparison.Ordinal);
        Assert.Contains($"\"lease_expires_at\":\"{server.Time.GetUtcNow().AddSeconds(30):yyyy-MM-ddTHH:mm:ss}", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegistrationWithoutLengthOrBody_IsRefusedNamingTheBody()
    {
        await using var server = await RegistryServer.StartAsync();

        var answer = await RawAsync(server, "POST /service-discovery/register HTTP/1.1\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        Assert.Contains("A JSON body is required.", answer, StringComparison.Ordinal);
        Assert.Equal(0, server.Catalog.InstanceCount);
    }

    [Fact]
    public async Task HeartbeatWithAChunkedBody_IsRead()
    {
        await using var server = await RegistryServer.StartAsync();
        await RegisterAsync(server);
        const string body = """{"status":"warning","output":"disk 91%"}""";

        var answer = await RawAsync(server, "PUT /service-discovery/instances/api-1/heartbeat HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
            $"{Encoding.UTF8.GetByteCount(body):x}\r\n{body}\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"warning\"", answer, StringComparison.Ordinal);
    }

    private static async Task RegisterAsync(RegistryServer server)
    {
        using var response = await server.Client.PostAsync("/service-discovery/register", new StringContent(
            """{"service_name":"api","instance_id":"api-1","host":"10.0.0.1","port":8080,"ttl":"30s"}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Sends <paramref name="head"/> (request line and headers) and <paramref name="body"/> exactly as given on a fresh connection, and reads the answer until the server closes it.</summary>
    private static async Task<string> RawAsync(RegistryServer server, string head, string body = "")
    {
        var ct = TestContext.Current.CancellationToken;
        var address = server.Client.BaseAddress!;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, address.Port, ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes($"{head}Host: {address.Authority}\r\nConnection: close\r\n\r\n{body}"), ct);
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
    }
}
