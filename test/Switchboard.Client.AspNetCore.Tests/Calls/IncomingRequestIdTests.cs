using Microsoft.AspNetCore.Builder;
using Switchboard.Client.Calls;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.AspNetCore.Tests.Calls;

/// <summary>An outgoing call made while an incoming request is served carries that request's id (<c>HttpContextRequestId</c>).</summary>
public sealed class IncomingRequestIdTests
{
    [Fact]
    public async Task Call_InsideIncomingRequest_PropagatesItsRequestId()
    {
        await using var registry = await TestRegistry.StartAsync();
        await using var target = await FaultServer.StartAsync();
        registry.Upsert(target.Instance("user-service"));
        await using var app = await TestServer.StartAsync(
            a => a.MapGet("/forward", async (IServiceClient client) => (await client.GetAsync<Answer>("user-service", "/inner")).Success ? "ok" : "failed"),
            b =>
            {
                b.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Switchboard:Registries:0"] = registry.BaseUri.ToString(), ["Switchboard:ServiceName"] = "gateway" });
                b.Services.AddHttpContextAccessor();
                b.Services.AddSwitchboard();
            });
        using var http = new HttpClient { BaseAddress = app.BaseUri };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/forward");
        request.Headers.Add("X-Request-ID", "incoming-42");

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("ok", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var seen = Assert.Single(target.Seen);
        Assert.Equal(("incoming-42", "gateway"), (seen.RequestId, seen.Caller));
    }
}
