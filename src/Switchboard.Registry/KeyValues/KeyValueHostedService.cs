using Microsoft.Extensions.Hosting;

namespace Switchboard.Registry.KeyValues;

/// <summary>Loads the key/value store at start (a failing store stops the agent with its message) and closes it at stop.</summary>
internal sealed class KeyValueHostedService(IKeyValueStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.LoadAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await store.DisposeAsync().ConfigureAwait(false);
}
