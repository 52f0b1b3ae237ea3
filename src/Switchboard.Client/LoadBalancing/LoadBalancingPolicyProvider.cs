using System.Collections.Frozen;

namespace Switchboard.Client.LoadBalancing;

/// <summary>Finds registered <see cref="ILoadBalancingPolicy"/> instances by name.</summary>
/// <remarks>Names match case-insensitively and ignoring <c>_</c> and <c>-</c>: <c>round_robin</c>, <c>round-robin</c> and <c>RoundRobin</c> are one name.</remarks>
public sealed class LoadBalancingPolicyProvider
{
    private readonly FrozenDictionary<string, ILoadBalancingPolicy> _policies;

    /// <summary>Indexes <paramref name="policies"/> by name; a later policy with the same name replaces an earlier one.</summary>
    /// <param name="policies">The registered policies.</param>
    public LoadBalancingPolicyProvider(IEnumerable<ILoadBalancingPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        var map = new Dictionary<string, ILoadBalancingPolicy>(StringComparer.Ordinal);
        foreach (var policy in policies)
            map[Normalize(policy.Name)] = policy;
        _policies = map.ToFrozenDictionary(StringComparer.Ordinal);
        Names = [.. _policies.Values.Select(p => p.Name).Order(StringComparer.Ordinal)];
    }

    /// <summary>The names of the registered policies, sorted.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Finds the policy named <paramref name="name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="policy">The policy, when found.</param>
    /// <returns>Whether it was found.</returns>
    public bool TryGet(string? name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ILoadBalancingPolicy? policy)
    {
        policy = null;
        return !string.IsNullOrWhiteSpace(name) && _policies.TryGetValue(Normalize(name), out policy);
    }

    /// <summary>Returns the policy named <paramref name="name"/>, or the default policy when the name is empty.</summary>
    /// <param name="name">The name; empty for <see cref="LoadBalancingPolicies.Default"/>.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentException">No policy has that name.</exception>
    public ILoadBalancingPolicy Get(string? name)
    {
        if (TryGet(string.IsNullOrWhiteSpace(name) ? LoadBalancingPolicies.Default : name, out var policy))
            return policy;
        throw new ArgumentException($"Unknown load-balancing policy '{name}'. Known policies: {string.Join(", ", Names)}.", nameof(name));
    }

    private static string Normalize(string name) =>
        name.Trim().Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
}
