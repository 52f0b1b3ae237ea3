using Switchboard.Client.Discovery;
using Switchboard.Client.RegistryApi;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Discovery;

/// <summary>Discovery wired to a <see cref="FakeRegistryClient"/> and an <see cref="ObservableFakeTime"/>.</summary>
internal sealed class DiscoveryHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    public DiscoveryHarness(Dictionary<string, string?>? configuration = null, bool withRegistry = true)
    {
        var config = configuration ?? [];
        if (withRegistry)
            config.TryAdd("Switchboard:Registries:0", "http://127.0.0.1:1");
        _provider = ClientServices.Build(config, services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<ISwitchboardRegistryClient>(Registry);
        });
        Discovery = _provider.GetRequiredService<IServiceDiscovery>();
    }

    public ObservableFakeTime Time { get; } = new();

    public FakeRegistryClient Registry { get; } = new();

    public IServiceDiscovery Discovery { get; }

    public async Task<ServiceHealthChangedEventArgs> NextChangeAsync(Func<ServiceHealthChangedEventArgs, bool>? match = null)
    {
        var tcs = new TaskCompletionSource<ServiceHealthChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Handler(object? sender, ServiceHealthChangedEventArgs e)
        {
            if (match is null || match(e))
                tcs.TrySetResult(e);
        }
        Discovery.HealthChanged += Handler;
        try
        {
            return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            Discovery.HealthChanged -= Handler;
        }
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
