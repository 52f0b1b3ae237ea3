using Switchboard.Api;
using Switchboard.Registration;

namespace Switchboard.Client.RegistryApi;

/// <summary>The native registry HTTP API, with failover among the configured registries.</summary>
/// <remarks>
/// Every call tries the registry that last answered first, then each other one in turn. A call fails with
/// <see cref="RegistryUnavailableException"/> only when no registry answered; with
/// <see cref="RegistryRequestException"/> when a registry rejected the request (4xx).
/// </remarks>
public interface ISwitchboardRegistryClient
{
    /// <summary>The registry that answered last; null before the first call or when none is configured.</summary>
    Uri? CurrentRegistry { get; }

    /// <summary>Registers (or replaces) an instance.</summary>
    /// <param name="registration">The registration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registry's answer, with the instance id.</returns>
    Task<RegisterResponse> RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>Renews an instance's lease, optionally reporting its status.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="report">The status report; null for a plain renewal.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registry's answer; null when the registry does not know the instance (it must register again).</returns>
    Task<HeartbeatResponse?> HeartbeatAsync(string instanceId, HeartbeatRequest? report = null, CancellationToken cancellationToken = default);

    /// <summary>Removes an instance.</summary>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>True when removed, false when the registry did not know it.</returns>
    Task<bool> DeregisterAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Lists a service's instances (all statuses); a blocking query when <paramref name="index"/> is given.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="index">Answer only once the service's index is past this (or <paramref name="wait"/> elapsed); null answers at once.</param>
    /// <param name="wait">How long the registry may hold the query; null for the configured watch wait.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The instances and the service's index.</returns>
    Task<InstancesResult> GetInstancesAsync(string serviceName, long? index = null, TimeSpan? wait = null, CancellationToken cancellationToken = default);
}
