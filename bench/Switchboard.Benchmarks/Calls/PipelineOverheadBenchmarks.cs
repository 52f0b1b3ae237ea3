using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Client.Calls;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// CPU and allocations of the client call pipeline alone: every stack sends to a <see cref="CannedResponseHandler"/>
/// instead of the network, so what remains is discovery, pick, Polly, headers and reading the answer.
/// Baseline: an <see cref="HttpClient"/> over the same handler.
/// </summary>
[MemoryDiagnoser]
public class PipelineOverheadBenchmarks
{
    private static readonly Uri FixedUri = new("http://127.0.0.1:5000/ping");

    private HttpClient _bare = null!;
    private ServiceProvider _switchboard = null!;
    private IServiceClient _client = null!;
    private ServiceProvider _standard = null!;
    private HttpClient _standardClient = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _bare = new HttpClient(new CannedResponseHandler());

        var sb = new ServiceCollection();
        sb.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:ServiceName"] = "bench-caller",
            ["Switchboard:Static:bench-service"] = "http://127.0.0.1:5000",
        }).Build());
        sb.AddLogging();
        sb.AddSwitchboard();
        sb.Configure<ServiceClientOptions>(o => o.Middleware.Add(_ => new CannedResponseHandler()));
        _switchboard = sb.BuildServiceProvider();
        _client = _switchboard.GetRequiredService<IServiceClient>();

        var std = new ServiceCollection();
        std.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:bench-service:http:0"] = "127.0.0.1:5000",
        }).Build());
        std.AddLogging();
        std.AddServiceDiscovery();
        std.AddHttpClient("standard", c => c.BaseAddress = new Uri("http://bench-service"))
            .ConfigurePrimaryHttpMessageHandler(() => new CannedResponseHandler())
            .AddServiceDiscovery()
            .AddStandardResilienceHandler();
        _standard = std.BuildServiceProvider();
        _standardClient = _standard.GetRequiredService<IHttpClientFactory>().CreateClient("standard");

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
    }

    [Benchmark(Baseline = true)]
    public async Task<string> BareHttpClient() => await _bare.GetStringAsync(FixedUri);

    [Benchmark]
    public async Task<string?> SwitchboardPipeline() => (await _client.GetAsync<string>("bench-service", "/ping")).Value;

    [Benchmark]
    public async Task<string> ServiceDiscoveryPlusStandardResilience() => await _standardClient.GetStringAsync(new Uri("/ping", UriKind.Relative));
}
