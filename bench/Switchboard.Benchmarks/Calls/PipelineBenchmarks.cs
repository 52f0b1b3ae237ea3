using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Client.Calls;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// Per-call overhead of the full Switchboard pipeline (cached discovery + pick + Polly + headers) against a bare
/// <see cref="HttpClient"/> to the same loopback server, and against MESD <c>AddServiceDiscovery()</c> +
/// <c>AddStandardResilienceHandler()</c>, in one run.
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private LoopbackServer _server = null!;
    private HttpClient _bare = null!;
    private ServiceProvider _switchboard = null!;
    private IServiceClient _client = null!;
    private ServiceProvider _standard = null!;
    private HttpClient _standardClient = null!;
    private Uri _bareUri = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = await LoopbackServer.StartAsync();
        _bareUri = new Uri(_server.BaseUri, "/ping");
        _bare = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 10, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

        var sb = new ServiceCollection();
        sb.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:ServiceName"] = "bench-caller",
            ["Switchboard:Static:bench-service"] = _server.BaseUri.ToString(),
        }).Build());
        sb.AddLogging();
        sb.AddSwitchboard();
        _switchboard = sb.BuildServiceProvider();
        _client = _switchboard.GetRequiredService<IServiceClient>();

        var std = new ServiceCollection();
        std.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:bench-service:http:0"] = $"{_server.BaseUri.Host}:{_server.BaseUri.Port}",
        }).Build());
        std.AddLogging();
        std.AddServiceDiscovery();
        std.AddHttpClient("standard", c => c.BaseAddress = new Uri("http://bench-service")).AddServiceDiscovery().AddStandardResilienceHandler();
        _standard = std.BuildServiceProvider();
        _standardClient = _standard.GetRequiredService<IHttpClientFactory>().CreateClient("standard");

        // Warm every path (connections, discovery caches).
        await BareHttpClient();
        await SwitchboardPipeline();
        await ServiceDiscoveryPlusStandardResilience();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _bare.Dispose();
        _standardClient.Dispose();
        await _switchboard.DisposeAsync();
        await _standard.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Benchmark(Baseline = true)]
    public async Task<string> BareHttpClient() => await _bare.GetStringAsync(_bareUri);

    [Benchmark]
    public async Task<string?> SwitchboardPipeline() => (await _client.GetAsync<string>("bench-service", "/ping")).Value;

    [Benchmark]
    public async Task<string> ServiceDiscoveryPlusStandardResilience() => await _standardClient.GetStringAsync(new Uri("/ping", UriKind.Relative));
}
