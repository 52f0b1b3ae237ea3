using System.Net;
using static Switchboard.Server.Tests.Consul.ConsulHttp;

namespace Switchboard.Server.Tests.KeyValues;

/// <summary>Every bad input on <c>/v1/kv</c> answered with Consul's plain-text 4xx; nothing stored.</summary>
public sealed class ConsulKvBadInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("GET", "/v1/kv/", 400, "Missing key name")]
    [InlineData("PUT", "/v1/kv/", 400, "Missing key name")]
    [InlineData("DELETE", "/v1/kv/", 400, "Missing key name")]
    [InlineData("PUT", "/v1/kv/a?cas=x", 400, "Invalid cas: 'x' is not an integer from 0 to 9223372036854775807")]
    [InlineData("PUT", "/v1/kv/a?cas=-1", 400, "Invalid cas: '-1' is not an integer from 0 to 9223372036854775807")]
    [InlineData("DELETE", "/v1/kv/a?cas=1.5", 400, "Invalid cas: '1.5' is not an integer from 0 to 9223372036854775807")]
    [InlineData("PUT", "/v1/kv/a?flags=x", 400, "Invalid flags: 'x' is not an integer from 0 to 9223372036854775807")]
    [InlineData("PUT", "/v1/kv/a?flags=-3", 400, "Invalid flags: '-3' is not an integer from 0 to 9223372036854775807")]
    [InlineData("PUT", "/v1/kv/a?cas=0&acquire=abc", 400, "Conflicting flags: cas=0&acquire=abc")]
    [InlineData("DELETE", "/v1/kv/a?recurse&cas=3", 400, "Conflicting flags: recurse&cas=3")]
    [InlineData("PUT", "/v1/kv/a?acquire=0c7e6b29-7a1c-4d7a-9c1e-6e3f6d1c2b3a", 400, "Switchboard does not support sessions (?acquire, ?release); use ?cas instead")]
    [InlineData("PUT", "/v1/kv/a?release=0c7e6b29-7a1c-4d7a-9c1e-6e3f6d1c2b3a", 400, "Switchboard does not support sessions (?acquire, ?release); use ?cas instead")]
    [InlineData("GET", "/v1/kv/a?dc=elsewhere", 400, "No path to datacenter")]
    [InlineData("PUT", "/v1/kv/a?dc=elsewhere", 400, "No path to datacenter")]
    [InlineData("GET", "/v1/kv/a?index=x", 400, "Invalid index")]
    [InlineData("GET", "/v1/kv/a?index=1&wait=forever", 400, "Invalid wait time")]
    [InlineData("GET", "/v1/kv/a/../b", 400, "Invalid key: key must not contain a '..' segment.")]
    [InlineData("PUT", "/v1/kv/a/%2E%2E/b", 400, "Invalid key: key must not contain a '..' segment.")]
    [InlineData("PUT", "/v1/kv/a%00b", 400, "")] // Kestrel refuses a NUL in the path before routing (the engine refuses it too)
    [InlineData("PUT", "/v1/kv/a%0Ab", 400, "Invalid key: key must not contain control characters (found U+000A at position 1).")]
    [InlineData("GET", "/v1/kv/x/..?recurse", 400, "Invalid key: key must not contain a '..' segment.")]
    [InlineData("POST", "/v1/kv/a", 405, "method POST not allowed")]
    public async Task BadInput_ConsulsPlainText_NothingStored(string method, string target, int status, string text)
    {
        await using var server = await RegistryServer.StartAsync();
        var (code, body) = await RawHttp.SendAsync(server.Client.BaseAddress!, method, target, Ct);
        Assert.Equal(status, code);
        Assert.Equal(text, body);
        Assert.Equal(0, (await GetJsonAsync(server.Client, "/v1/kv/?keys")).GetArrayLength());
    }

    [Fact]
    public async Task KeyOver512Bytes_400_And512Fits()
    {
        await using var server = await RegistryServer.StartAsync();
        using (var fits = await PutAsync(server.Client, "/v1/kv/" + new string('k', 512), "v"))
            Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        using var refused = await PutAsync(server.Client, "/v1/kv/" + new string('k', 513), "v");
        await AssertTextAsync(refused, 400, "Invalid key: key must be at most 512 bytes in UTF-8 (it is 513).");
    }

    [Fact]
    public async Task ValueOver512KiB_413AsConsul_DeclaredOrChunked_And512KiBFits()
    {
        await using var server = await RegistryServer.StartAsync();
        using (var fits = await server.Client.PutAsync("/v1/kv/big", new ByteArrayContent(new byte[512 * 1024]), Ct))
            Assert.Equal(HttpStatusCode.OK, fits.StatusCode);

        using var declared = await server.Client.PutAsync("/v1/kv/big", new ByteArrayContent(new byte[512 * 1024 + 1]), Ct);
        await AssertTextAsync(declared, 413, "Request body(524289 bytes) too large, max size: 524288 bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.");

        using var chunked = new StreamContent(new MemoryStream(new byte[600 * 1024]));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/kv/big") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await server.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Equal(512 * 1024, (await GetJsonAsync(server.Client, "/v1/kv/big"))[0].GetProperty("Value").GetBytesFromBase64().Length);
    }

    [Fact]
    public async Task NonUtf8Escapes_InTheKey_NeverCrash()
    {
        await using var server = await RegistryServer.StartAsync();
        var (code, _) = await RawHttp.SendAsync(server.Client.BaseAddress!, "PUT", "/v1/kv/%FF%FE%C3", Ct);
        Assert.InRange(code, 200, 499);
        var (listed, _) = await RawHttp.SendAsync(server.Client.BaseAddress!, "GET", "/v1/kv/?keys", Ct);
        Assert.Equal(200, listed);
    }
}
