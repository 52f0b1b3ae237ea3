using System.Diagnostics;
using System.Globalization;
using Switchboard.Client.Discovery;
using Switchboard.Client.SelfRegistration;
using Switchboard.Client.RegistryApi;
using Switchboard.Client.Tests.TestSupport;
using Switchboard.Registration;

namespace Switchboard.Client.Tests.Integration;

/// <summary>The SDK against the real agent process: self-registration, discovery from cache when the agent dies, re-registration after it restarts empty.</summary>
public sealed class AgentIntegrationTests
{
    private static Dictionary<string, string?> ClientConfig(Uri registry) => new()
    {
        ["Switchboard:Registries:0"] = registry.ToString(),
        ["Switchboard:Discovery:RetryBaseDelay"] = "00:00:00.100",
        ["Switchboard:Discovery:RetryMaxDelay"] = "00:00:00.500",
    };

    private static Task<TestServer> StartServiceAsync(Uri registry) => SelfRegisteringService.StartAsync(ClientConfig(registry), TimeSpan.FromSeconds(3));

    /// <summary>The real <c>switchboard agent --dev</c> on 127.0.0.1:<paramref name="port"/> (a restart keeps the address the clients know).</summary>
    private static Task<ServiceProcess> StartAgentAsync(int port) =>
        AgentProcess.StartAsync(["--bind", "127.0.0.1", "--dev"], new AgentProcess.Options { Port = port });

    private static Task Until(Func<Task<bool>> condition, string what) => SelfRegisteringService.Until(condition, what);

    [Fact]
    public async Task SelfRegistration_RealAgent_DiscoverableThenServedFromCacheThenReRegistered()
    {
        var port = Ports.Free();
        var agent = await StartAgentAsync(port);
        try
        {
            await using var service = await StartServiceAsync(agent.BaseUri);
            var self = service.Services.GetRequiredService<ISelfRegistration>();
            await using var caller = ClientServices.Build(ClientConfig(agent.BaseUri));
            var discovery = caller.GetRequiredService<IServiceDiscovery>();
            var ct = TestContext.Current.CancellationToken;

            // 1. Registered by the hosted service, discoverable by another client.
            await Until(async () => self.State == SelfRegistrationState.Registered, "the service registered");
            var found = await discovery.ResolveAsync("gravity-optimizer", ct);
            var instance = Assert.Single(found.HealthyEndpoints).Instance;
            Assert.Equal(service.BaseUri.Port, instance.Port);
            Assert.Equal(DiscoverySource.Registry, found.Source);

            // 2. Agent killed: discovery keeps serving the cached instance, marked stale.
            await agent.KillAsync();
            await Until(async () => (await discovery.ResolveAsync("gravity-optimizer", ct)).IsStale, "the cache turned stale");
            var stale = await discovery.ResolveAsync("gravity-optimizer", ct);
            Assert.Equal(instance.InstanceId, Assert.Single(stale.HealthyEndpoints).InstanceId);

            // 3. Agent restarted with an empty store: the service registers again by itself and the watch recovers.
            await agent.DisposeAsync();
            agent = await StartAgentAsync(port);
            await Until(async () => self.Registrations >= 2, "the service registered again");
            await Until(async () => (await discovery.ResolveAsync("gravity-optimizer", ct)) is { IsStale: false, HealthyEndpoints.Length: 1 }, "the watch recovered");
            Assert.Equal(instance.InstanceId, (await discovery.ResolveAsync("gravity-optimizer", ct)).HealthyEndpoints[0].InstanceId);
        }
        finally
        {
            await agent.DisposeAsync();
        }
    }

    [Fact]
    public async Task Watch_RealAgent_RegistrationReachesCache_MeasuresPropagation()
    {
        await using var agent = await StartAgentAsync(Ports.Free());
        await using var provider = ClientServices.Build(ClientConfig(agent.BaseUri));
        var discovery = provider.GetRequiredService<IServiceDiscovery>();
        var registry = provider.GetRequiredService<ISwitchboardRegistryClient>();
        var ct = TestContext.Current.CancellationToken;
        await registry.RegisterAsync(new ServiceRegistration { ServiceName = "prop-service", Host = "127.0.0.1", Port = 1, Ttl = TimeSpan.Zero }, ct);
        await discovery.ResolveAsync("prop-service", ct);

        var samples = new List<double>();
        for (var i = 2; i < 202; i++)
        {
            var id = $"prop-{i}";
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Handler(object? s, ServiceHealthChangedEventArgs e)
            {
                if (e.Instance.InstanceId == id && e.Kind == ServiceHealthChangeKind.Appeared)
                    seen.TrySetResult();
            }
            discovery.HealthChanged += Handler;
            var watch = Stopwatch.StartNew();
            await registry.RegisterAsync(new ServiceRegistration { ServiceName = "prop-service", InstanceId = id, Host = "127.0.0.1", Port = i, Ttl = TimeSpan.Zero }, ct);
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            samples.Add(watch.Elapsed.TotalMilliseconds);
            discovery.HealthChanged -= Handler;
        }

        Assert.Equal(200, samples.Count);
        Assert.Equal(201, (await discovery.ResolveAsync("prop-service", ct)).Endpoints.Length);
        samples.Sort();
        var p50 = samples[samples.Count / 2];
        var p99 = samples[(int)(samples.Count * 0.99) - 1];
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"register-to-cache-update over {samples.Count} registrations: p50 {p50:F2} ms, p99 {p99:F2} ms, max {samples[^1]:F2} ms"));
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "propagation.txt"), string.Create(CultureInfo.InvariantCulture, $"p50={p50:F2}ms p99={p99:F2}ms max={samples[^1]:F2}ms n={samples.Count}\n"));
    }

    [Fact]
    public async Task ExternalService_RealAgent_RegisteredWithoutLeaseAndDiscoverable()
    {
        await using var agent = await StartAgentAsync(Ports.Free());
        await using var provider = ClientServices.Build(ClientConfig(agent.BaseUri));
        var registry = provider.GetRequiredService<ISwitchboardRegistryClient>();
        var discovery = provider.GetRequiredService<IServiceDiscovery>();
        var ct = TestContext.Current.CancellationToken;

        var answer = await registry.RegisterExternalServiceAsync(new ServiceRegistration
        {
            ServiceName = "payment-service",
            Host = "payments.example.com",
            Port = 443,
            Protocol = "https",
            Version = "2.0",
            Metadata = new Dictionary<string, string> { ["team"] = "platform" },
        }, ct);

        Assert.True(answer.Created);
        var found = await discovery.ResolveAsync("payment-service", ct);
        var instance = Assert.Single(found.HealthyEndpoints).Instance;
        Assert.Equal("https://payments.example.com:443", instance.BaseUrl);
        Assert.Null(instance.Ttl); // no lease: an external service stays until deregistered
        await Assert.ThrowsAsync<ArgumentException>(() => registry.RegisterExternalServiceAsync(new ServiceRegistration { ServiceName = "Bad Name", Host = "h", Port = 1 }, ct));
    }
}
