using Microsoft.Extensions.Primitives;
using Switchboard.Instances;

namespace Switchboard.Client.Discovery;

/// <summary>Finds the instances of services: registry (kept fresh by a blocking-query watch), then static URLs, then DNS.</summary>
/// <remarks>
/// The first lookup of a service starts a background watch of it; later lookups are answered from the local
/// cache without I/O. When the registry becomes unreachable the cache keeps serving its last answer, marked
/// <see cref="DiscoveryResult.IsStale"/>.
/// </remarks>
public interface IServiceDiscovery
{
    /// <summary>Raised when an instance of a watched service appears, disappears, or turns healthy or unhealthy.</summary>
    /// <remarks>Raised on the watch's thread; handlers should be quick and must not throw (exceptions are logged and ignored).</remarks>
    event EventHandler<ServiceHealthChangedEventArgs>? HealthChanged;

    /// <summary>Returns what is known about <paramref name="serviceName"/>, from the cache when it is watched already.</summary>
    /// <param name="serviceName">The service (lowercase DNS labels).</param>
    /// <param name="cancellationToken">Cancels the first lookup.</param>
    /// <returns>The snapshot; it may have no healthy endpoint.</returns>
    /// <exception cref="ServiceNotFoundException">No source knows the service; the message names each source tried.</exception>
    /// <exception cref="ArgumentException">The name is not a valid service name.</exception>
    ValueTask<DiscoveryResult> ResolveAsync(string serviceName, CancellationToken cancellationToken = default);

    /// <summary>Returns the instances of <paramref name="serviceName"/> that match <paramref name="query"/>.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="query">The filter; <see cref="InstanceQuery.Healthy"/> when null.</param>
    /// <param name="cancellationToken">Cancels the first lookup.</param>
    /// <returns>The matching instances.</returns>
    /// <exception cref="ServiceNotFoundException">No source knows the service.</exception>
    ValueTask<IReadOnlyList<ServiceInstance>> GetInstancesAsync(string serviceName, InstanceQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>A token that fires at the next change of <paramref name="serviceName"/>'s endpoints (starts watching it).</summary>
    /// <param name="serviceName">The service.</param>
    /// <returns>The change token.</returns>
    IChangeToken GetChangeToken(string serviceName);
}
