using System.Net;
using Microsoft.AspNetCore.Builder;
using Switchboard.Client.SelfRegistration;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.AspNetCore.Tests.SelfRegistration;

public sealed class SelfRegistrationTests
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    private static Task<TestServer> StartAppAsync(TestRegistry registry, ObservableFakeTime time, Dictionary<string, string?>? extra = null) =>
        TestServer.StartAsync(app => app.MapSwitchboardHealth(), builder =>
        {
            var config = new Dictionary<string, string?>
            {
                ["Switchboard:Registries:0"] = registry.BaseUri.ToString(),
                ["Switchboard:Registration:Enabled"] = "true",
                ["Switchboard:Registration:ServiceName"] = "gravity-optimizer",
                ["Switchboard:Registration:Version"] = "1.0.0",
                ["Switchboard:Registration:Tags:0"] = "optimization",
                ["Switchboard:Registration:Metadata:zones"] = "6",
                ["Switchboard:Registration:HealthCheckPath"] = "/health",
                ["Switchboard:Registration:Ttl"] = "00:00:30",
            };
            foreach (var (k, v) in extra ?? [])
                config[k] = v;
            builder.Configuration.AddInMemoryCollection(config);
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.AddSwitchboard();
        });

    private static async Task WaitForAsync(ISelfRegistration registration, SelfRegistrationState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(object? sender, SelfRegistrationState s)
        {
            if (s == state)
                reached.TrySetResult();
        }
        registration.StateChanged += Handler;
        try
        {
            if (registration.State != state)
                await reached.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            registration.StateChanged -= Handler;
        }
    }

    [Fact]
    public async Task Start_RegistryUp_RegistersBoundAddressWithTagsAndMetadata()
    {
        await using var registry = await TestRegistry.StartAsync();
        var time = new ObservableFakeTime();
        await using var app = await StartAppAsync(registry, time);
        var self = app.Services.GetRequiredService<ISelfRegistration>();
        await WaitForAsync(self, SelfRegistrationState.Registered);

        var instance = Assert.Single(registry.Instances);
        Assert.Equal("gravity-optimizer", instance.ServiceName);
        Assert.Equal("127.0.0.1", instance.Host);
        Assert.Equal(app.BaseUri.Port, instance.Port);
        Assert.Equal("1.0.0", instance.Version);
        Assert.Equal(["optimization"], instance.Tags);
        Assert.Equal("6", instance.Metadata["zones"]);
        Assert.Equal(self.InstanceId, instance.InstanceId);
    }

    [Fact]
    public async Task Registered_StateGaugeReadsOneForRegisteredOnly()
    {
        await using var registry = await TestRegistry.StartAsync();
        await using var app = await StartAppAsync(registry, new ObservableFakeTime());
        await WaitForAsync(app.Services.GetRequiredService<ISelfRegistration>(), SelfRegistrationState.Registered);
        var factory = app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var states = new Dictionary<string, int>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name == "switchboard.client.registration.state")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => states[tags[0].Value!.ToString()!] = value);
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal(1, states["registered"]);
        Assert.Equal(0, states["registry_unreachable"]);
        Assert.Equal(1, states.Values.Sum());
    }

    [Fact]
    public async Task Running_HeartbeatInterval_SendsHeartbeatAtTtlFraction()
    {
        await using var registry = await TestRegistry.StartAsync();
        var time = new ObservableFakeTime();
        await using var app = await StartAppAsync(registry, time);
        await WaitForAsync(app.Services.GetRequiredService<ISelfRegistration>(), SelfRegistrationState.Registered);

        Assert.Equal(Heartbeat, await time.NextTimerAsync(d => d == Heartbeat));
        Assert.Equal(0, registry.Heartbeats);
        time.Advance(Heartbeat);
        await time.NextTimerAsync(d => d == Heartbeat);
        Assert.Equal(1, registry.Heartbeats);
    }

    [Fact]
    public async Task Heartbeat_RegistryForgotInstance_RegistersAgain()
    {
        await using var registry = await TestRegistry.StartAsync();
        var time = new ObservableFakeTime();
        await using var app = await StartAppAsync(registry, time);
        var self = app.Services.GetRequiredService<ISelfRegistration>();
        await WaitForAsync(self, SelfRegistrationState.Registered);
        await time.NextTimerAsync(d => d == Heartbeat);

        await registry.RestartEmptyAsync();
        Assert.Empty(registry.Instances);
        time.Advance(Heartbeat);
        await time.NextTimerAsync(d => d == Heartbeat);

        Assert.Equal(2, self.Registrations);
        Assert.Equal(self.InstanceId, Assert.Single(registry.Instances).InstanceId);
    }

    [Fact]
    public async Task Start_RegistryDown_AppServesAndRegistersOnceRegistryIsBack()
    {
        await using var registry = await TestRegistry.StartAsync();
        await registry.StopAsync();
        var time = new ObservableFakeTime();
        await using var app = await StartAppAsync(registry, time);
        var self = app.Services.GetRequiredService<ISelfRegistration>();
        await WaitForAsync(self, SelfRegistrationState.RegistryUnreachable);
        Assert.Contains("no registry answered", self.LastError, StringComparison.Ordinal);

        using var http = new HttpClient { BaseAddress = app.BaseUri };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode);

        var backoff = await time.NextTimerAsync(d => d <= TimeSpan.FromSeconds(1));
        await registry.RestartEmptyAsync();
        time.Advance(backoff);
        await WaitForAsync(self, SelfRegistrationState.Registered);
        Assert.Single(registry.Instances);
    }

    [Fact]
    public async Task Start_RegistryBusy_WaitsTheRetryAfterItAsksBeforeTryingAgain()
    {
        await using var registry = await TestRegistry.StartAsync();
        registry.Busy = TimeSpan.FromSeconds(30);
        var time = new ObservableFakeTime();
        await using var app = await StartAppAsync(registry, time);
        var self = app.Services.GetRequiredService<ISelfRegistration>();
        await WaitForAsync(self, SelfRegistrationState.RegistryUnreachable);
        Assert.Contains("retry after 30 s", self.LastError, StringComparison.Ordinal);

        // Not the 1 s backoff: the 30 s the registry asked for.
        var wait = await time.NextTimerAsync(d => d >= TimeSpan.FromSeconds(30) && d <= TimeSpan.FromMinutes(1));
        Assert.Equal(1, Volatile.Read(ref registry.Registers));
        registry.Busy = null;
        time.Advance(wait);
        await WaitForAsync(self, SelfRegistrationState.Registered);
        Assert.Equal(2, Volatile.Read(ref registry.Registers));
    }

    [Fact]
    public async Task Stop_Graceful_Deregisters()
    {
        await using var registry = await TestRegistry.StartAsync();
        var time = new ObservableFakeTime();
        var app = await StartAppAsync(registry, time);
        var self = app.Services.GetRequiredService<ISelfRegistration>();
        await WaitForAsync(self, SelfRegistrationState.Registered);

        await app.DisposeAsync();

        Assert.Empty(registry.Instances);
        Assert.Equal(1, registry.Deregisters);
        Assert.Equal(SelfRegistrationState.Deregistered, self.State);
    }

    [Fact]
    public async Task Start_ConfiguredHostAndPort_OverrideBoundAddress()
    {
        await using var registry = await TestRegistry.StartAsync();
        var time = new ObservableFakeTime();
        await using var app = await StartAppAsync(registry, time, new()
        {
            ["Switchboard:Registration:Host"] = "gravity.internal",
            ["Switchboard:Registration:Port"] = "3020",
        });
        await WaitForAsync(app.Services.GetRequiredService<ISelfRegistration>(), SelfRegistrationState.Registered);
        var instance = Assert.Single(registry.Instances);
        Assert.Equal(("gravity.internal", 3020), (instance.Host, instance.Port));
    }

    [Fact]
    public async Task Start_RegistrationInvalidForRegistry_RejectedNamingKeyAndAppRuns()
    {
        await using var registry = await TestRegistry.StartAsync();
        var time = new ObservableFakeTime();
        await using var app = await StartAppAsync(registry, time, new() { ["Switchboard:Registration:Version"] = new string('9', 70) });
        var self = app.Services.GetRequiredService<ISelfRegistration>();
        await WaitForAsync(self, SelfRegistrationState.Rejected);
        Assert.Contains("Switchboard:Registration:Version", self.LastError, StringComparison.Ordinal);
        Assert.Equal(0, registry.Registers);
    }
}
