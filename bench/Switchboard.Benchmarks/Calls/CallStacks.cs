using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Client.Calls;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// The three ways of calling one service compared by the call benchmarks: a bare <see cref="HttpClient"/> with a fixed
/// URL, Switchboard's <see cref="IServiceClient"/>, and MESD <c>AddServiceDiscovery()</c> +
/// <c>AddStandardResilienceHandler()</c>. Each sends <c>GET /ping</c> to the target server, or to a handler that
/// never touches the network when one is given.
/// </summary>
internal sealed class CallStacks : IAsyncDisposable
{
    private readonly HttpClient _bare;
    private readonly Uri _bareUri;
    private readonly ServiceProvider _switchboard;
    private readonly IServiceClient _client;
    private readonly ServiceProvider _standard;
    private readonly HttpClient _standardClient;

    public CallStacks(Uri target, Func<HttpMessageHandler>? handler = null, IReadOnlyDictionary<string, string>? variant = null)
    {
        _bareUri = new Uri(target, "/ping");
        _bare = new HttpClient(handler?.Invoke() ?? new SocketsHttpHandler { MaxConnectionsPerServer = 10, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

        var sb = new ServiceCollection();
        var settings = new Dictionary<string, string?>
        {
            ["Switchboard:ServiceName"] = "bench-caller",
            ["Switchboard:Static:bench-service"] = target.ToString(),
            ["Switchboard:Static:bench-variant"] = target.ToString(),
        };
        foreach (var (key, value) in variant ?? new Dictionary<string, string>())
            settings[$"Switchboard:Services:bench-variant:{key}"] = value;
        sb.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        sb.AddLogging();
        sb.AddSwitchboard();
        if (handler is not null)
            sb.Configure<ServiceClientOptions>(o => o.Middleware.Add(_ => (DelegatingHandler)handler()));
        _switchboard = sb.BuildServiceProvider();
        _client = _switchboard.GetRequiredService<IServiceClient>();

        var std = new ServiceCollection();
        std.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:bench-service:http:0"] = $"{target.Host}:{target.Port}",
        }).Build());
        std.AddLogging();
        std.AddServiceDiscovery();
        var http = std.AddHttpClient("standard", c => c.BaseAddress = new Uri("http://bench-service"));
        if (handler is not null)
            http.ConfigurePrimaryHttpMessageHandler(handler);
        http.AddServiceDiscovery().AddStandardResilienceHandler();
        _standard = std.BuildServiceProvider();
        _standardClient = _standard.GetRequiredService<IHttpClientFactory>().CreateClient("standard");
    }

    public async Task<string> BareAsync() => await _bare.GetStringAsync(_bareUri);

    /// <summary>The bare client sending the two headers every Switchboard call carries: what they cost the server and the wire.</summary>
    public async Task<string> BareWithHeadersAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _bareUri);
        request.Headers.TryAddWithoutValidation(SwitchboardHeaders.RequestId, RequestIds.New());
        request.Headers.TryAddWithoutValidation(SwitchboardHeaders.ServiceName, "bench-caller");
        using var response = await _bare.SendAsync(request);
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    public async Task<string?> SwitchboardAsync()
    {
        var result = await _client.GetAsync<string>("bench-service", "/ping");
        return result.Success ? result.Value : throw result.Exception!;
    }

    /// <summary>Switchboard again, on a service whose options the <c>variant</c> settings override.</summary>
    public async Task<string?> SwitchboardVariantAsync()
    {
        var result = await _client.GetAsync<string>("bench-variant", "/ping");
        return result.Success ? result.Value : throw result.Exception!;
    }

    public async Task<string> StandardAsync() => await _standardClient.GetStringAsync(new Uri("/ping", UriKind.Relative));

    /// <summary>
    /// Opens connections and fills discovery caches on every stack, and with enough <paramref name="calls"/> lets the
    /// tiered JIT finish optimizing their code (a few thousand calls: until then a stack with more methods is
    /// measured on more unoptimized code than one with fewer).
    /// </summary>
    public async Task WarmAsync(int calls = 100)
    {
        for (var i = 0; i < calls; i++)
        {
            await BareAsync();
            await SwitchboardAsync();
            await StandardAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _bare.Dispose();
        _standardClient.Dispose();
        await _switchboard.DisposeAsync();
        await _standard.DisposeAsync();
    }
}
