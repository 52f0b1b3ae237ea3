using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary>Chooses one instance of a service for a call.</summary>
/// <remarks>
/// <para>
/// Implementations must be thread-safe and should not allocate. They skip instances whose
/// <see cref="InstanceEndpoint.IsEjected"/> is true. When every instance is ejected they enter
/// <em>panic mode</em>: they choose among all instances as if none were ejected, because a call
/// that may fail is better than a call that is sure to fail without being tried (Envoy's panic threshold at 100%).
/// </para>
/// <para>Register custom policies with <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;ILoadBalancingPolicy, MyPolicy&gt;())</c> and name them in configuration.</para>
/// </remarks>
public interface ILoadBalancingPolicy
{
    /// <summary>The policy's name, as configuration refers to it (see <see cref="LoadBalancingPolicies"/>).</summary>
    string Name { get; }

    /// <summary>Chooses one of <paramref name="endpoints"/>.</summary>
    /// <param name="endpoints">The candidate instances (already filtered by health and query).</param>
    /// <param name="state">The per-service state the policy may use (for example a round-robin counter).</param>
    /// <returns>The chosen instance; null when <paramref name="endpoints"/> is empty.</returns>
    InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state);
}
