using Polly;
using Switchboard.Client.LoadBalancing;

namespace Switchboard.Client.Resilience;

/// <summary>
/// What calls to one service run through: its options, its load-balancing policy, the strategy that makes each
/// attempt (<see cref="InstanceAttemptStrategy"/>) and, built on first use, the Polly pipeline that retries failed
/// attempts (null when the service allows one attempt).
/// </summary>
internal sealed class ServicePipeline
{
    private readonly Lazy<ResiliencePipeline<HttpResponseMessage>?> _retries;

    public ServicePipeline(EffectiveServiceOptions options, ILoadBalancingPolicy policy, InstanceAttemptStrategy attempts, Func<ServicePipeline, ResiliencePipeline<HttpResponseMessage>?> buildRetries)
    {
        Options = options;
        Policy = policy;
        Attempts = attempts;
        _retries = new(() => buildRetries(this));
    }

    public EffectiveServiceOptions Options { get; }

    public ILoadBalancingPolicy Policy { get; }

    /// <summary>Picks the instance of an attempt, applies its breaker and the attempt timeout, and records the outcome.</summary>
    public InstanceAttemptStrategy Attempts { get; }

    /// <summary>Polly's retry around <see cref="Attempts"/>; null when the service allows one attempt.</summary>
    public ResiliencePipeline<HttpResponseMessage>? Retries => _retries.Value;
}
