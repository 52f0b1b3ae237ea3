using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary>Chooses one instance of a service for a call.</summary>
/// <remarks>
/// <para>
/// Implementations must be thread-safe and should not allocate. They receive only the candidates of the attempt, as
/// YARP's policies receive the available destinations: the healthy instances matching the call's query, without those
/// the call already tried and without those whose circuit breaker is open (<see cref="InstanceEndpoint.IsEjected"/>),
/// or, when every one is ejected, all of them (<em>panic mode</em>: a call that may fail is better than a call that is
/// sure to fail without being tried; Envoy's panic threshold at 100%). A policy therefore never filters by itself.
/// </para>
/// <para>Register custom policies with <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;ILoadBalancingPolicy, MyPolicy&gt;())</c> and name them in configuration.</para>
/// </remarks>
public interface ILoadBalancingPolicy
{
    /// <summary>The policy's name, as configuration refers to it (see <see cref="LoadBalancingPolicies"/>).</summary>
    string Name { get; }

    /// <summary>Chooses one of <paramref name="endpoints"/>.</summary>
    /// <param name="endpoints">The candidates (already filtered by health, query, instances tried and ejection).</param>
    /// <param name="state">The per-service state the policy may use (for example a round-robin counter).</param>
    /// <returns>The chosen instance; null when <paramref name="endpoints"/> is empty.</returns>
    InstanceEndpoint? Pick(ReadOnlySpan<InstanceEndpoint> endpoints, LoadBalancingState state);
}
