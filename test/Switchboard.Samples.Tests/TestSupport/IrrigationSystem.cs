using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Samples.Irrigation.Hosting;
using Switchboard.Samples.Irrigation.Optimizer;

namespace Switchboard.Samples.Tests.TestSupport;

/// <summary>
/// The whole sample as real processes on 127.0.0.1 (free ports): a <c>switchboard agent --dev</c>, GIS, ROS, SCADA,
/// Weather, two Sensor Data instances and the Gravity Optimizer, started from their build output. Every process is killed
/// on disposal, also when starting fails halfway.
/// </summary>
public sealed class IrrigationSystem : IAsyncLifetime
{
    public const string Agent = "agent";
    public const string SensorDataA = "sensor-data-service-a";
    public const string SensorDataB = "sensor-data-service-b";

    /// <summary>Generous start-up bound; the seed variables are removed so every address comes from the registry.</summary>
    private static readonly ServiceProcessOptions StartOptions = new()
    {
        StartTimeout = TimeSpan.FromSeconds(90),
        Environment = new[] { "GIS_SERVICE_URL", "ROS_SERVICE_URL", "SCADA_SERVICE_URL", "WEATHER_SERVICE_URL", "SENSOR_DATA_SERVICE_URL" }
            .ToDictionary(variable => variable, _ => (string?)null),
    };

    private static string SampleDll => RepositoryPaths.Built("samples/Irrigation/Switchboard.Samples.Irrigation", "Switchboard.Samples.Irrigation.dll");

    /// <summary>Process name → service name; the two Sensor Data processes are instances of one service.</summary>
    private static readonly Dictionary<string, string> Layout = new()
    {
        [IrrigationServices.Gis] = IrrigationServices.Gis,
        [IrrigationServices.Ros] = IrrigationServices.Ros,
        [IrrigationServices.Scada] = IrrigationServices.Scada,
        [IrrigationServices.Weather] = IrrigationServices.Weather,
        [SensorDataA] = IrrigationServices.SensorData,
        [SensorDataB] = IrrigationServices.SensorData,
        [IrrigationServices.GravityOptimizer] = IrrigationServices.GravityOptimizer,
    };

    private readonly ConcurrentDictionary<string, ServiceProcess> _processes = new();

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(3) };

    public Uri Registry => this[Agent].BaseUri;

    public Uri Optimizer => this[IrrigationServices.GravityOptimizer].BaseUri;

    public ServiceProcess this[string processName] => _processes[processName];

    /// <summary>The processes that are instances of <paramref name="service"/>.</summary>
    public IEnumerable<ServiceProcess> InstancesOf(string service) =>
        Layout.Where(l => l.Value == service && _processes.ContainsKey(l.Key)).Select(l => _processes[l.Key]);

    /// <summary>Every process, agent included.</summary>
    public IEnumerable<ServiceProcess> Processes => _processes.Values;

    public async ValueTask InitializeAsync()
    {
        try
        {
            _processes[Agent] = await ServiceProcess.StartAsync(Agent, RepositoryPaths.AgentDll, ["agent", "--dev", "--bind", "127.0.0.1", "--port", "0"], StartOptions);
            await Task.WhenAll(Layout.Keys.Where(n => n != IrrigationServices.GravityOptimizer).Select(StartAsync));
            await StartAsync(IrrigationServices.GravityOptimizer);
            await Eventually.UntilAsync(
                () => GetJsonAsync($"{OptimizerApi.Prefix}/health"),
                health => health.GetProperty("status").GetString() == "healthy",
                "every backend answers the optimizer's integrated health check");
            await Eventually.UntilAsync(
                () => GetJsonAsync($"{OptimizerApi.Prefix}/status"),
                status => status.GetProperty("services").EnumerateArray()
                    .Single(s => s.GetProperty("service").GetString() == IrrigationServices.SensorData)
                    .GetProperty("healthy_instances").GetInt32() == 2,
                "the optimizer sees both Sensor Data instances");
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts (or starts again, on a new free port) the process <paramref name="name"/> of the layout.</summary>
    public async Task StartAsync(string name)
    {
        string[] arguments =
        [
            "--service", Layout[name], "--port", "0", "--registry", Registry.ToString(),
            // Generous bounds: the tests share two cores with other suites; no test asserts on speed.
            "--Switchboard:Defaults:AttemptTimeout=00:00:15", "--Switchboard:Defaults:TotalTimeout=00:00:40",
        ];
        _processes[name] = await ServiceProcess.StartAsync(name, SampleDll, arguments, StartOptions);
    }

    /// <summary>Starts every service process that has exited and heals every fault switch, so a failed test leaves the system whole for the next.</summary>
    public async Task RestoreAsync()
    {
        foreach (var name in Layout.Keys.Where(n => _processes[n].HasExited))
            await StartAsync(name);
        foreach (var name in Layout.Keys.Where(n => n != IrrigationServices.GravityOptimizer))
            await SetFaultAsync(name, "none");
    }

    /// <summary>Kills the process <paramref name="name"/> (no graceful shutdown: it stays registered until its health check fails).</summary>
    public Task KillAsync(string name) => _processes[name].KillAsync();

    /// <summary>Sets the fault switch of the process <paramref name="name"/>.</summary>
    public async Task SetFaultAsync(string name, string mode)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(this[name].BaseUri, "/fault"), new { mode });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Posts an optimization, with <paramref name="requestId"/> as X-Request-ID when given.</summary>
    public async Task<(HttpResponseMessage Response, OptimizationResult? Result)> OptimizeAsync(object body, string? requestId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Optimizer, $"{OptimizerApi.Prefix}/optimize/realtime"))
        {
            Content = JsonContent.Create(body, options: SampleJson.Options),
        };
        if (requestId is not null)
            request.Headers.Add("X-Request-ID", requestId);
        var response = await Http.SendAsync(request);
        var result = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<OptimizationResult>(SampleJson.Options) : null;
        return (response, result);
    }

    /// <summary>GETs <paramref name="path"/> of the optimizer as JSON.</summary>
    public Task<JsonElement> GetJsonAsync(string path) => GetJsonAsync(Optimizer, path);

    /// <summary>GETs <paramref name="path"/> of <paramref name="baseUri"/> as JSON.</summary>
    public async Task<JsonElement> GetJsonAsync(Uri baseUri, string path)
    {
        using var response = await Http.GetAsync(new Uri(baseUri, path));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_processes.Values.Select(p => p.DisposeAsync().AsTask()));
        Http.Dispose();
    }
}
