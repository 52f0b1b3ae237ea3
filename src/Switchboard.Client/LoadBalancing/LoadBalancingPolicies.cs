namespace Switchboard.Client.LoadBalancing;

/// <summary>The names of the built-in load-balancing policies.</summary>
/// <remarks>Names are matched case-insensitively, ignoring <c>_</c> and <c>-</c> (so seed 001's <c>round_robin</c> works).</remarks>
public static class LoadBalancingPolicies
{
    /// <summary>Instances in turn.</summary>
    public const string RoundRobin = nameof(RoundRobin);

    /// <summary>A uniformly random instance.</summary>
    public const string Random = nameof(Random);

    /// <summary>A random instance, each chosen in proportion to its weight.</summary>
    public const string WeightedRandom = nameof(WeightedRandom);

    /// <summary>The instance with the fewest requests in flight (ties spread in turn).</summary>
    public const string LeastConnections = nameof(LeastConnections);

    /// <summary>Two random instances, the one with fewer requests in flight (the default).</summary>
    public const string PowerOfTwoChoices = nameof(PowerOfTwoChoices);

    /// <summary>The first instance in catalog order that is not ejected (active/passive failover).</summary>
    public const string FirstAvailable = nameof(FirstAvailable);

    /// <summary>The policy used when none is configured.</summary>
    public const string Default = PowerOfTwoChoices;
}
