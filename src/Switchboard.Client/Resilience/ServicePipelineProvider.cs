using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Switchboard.Client.LoadBalancing;

namespace Switchboard.Client.Resilience;

/// <summary>
/// Builds and caches the Polly pipeline of each service, outer to inner: retry (exponential backoff with jitter,
/// <c>Retry-After</c> honoured within the total timeout, idempotent methods only unless opted in), then instance
/// pick, per-instance circuit breaker and attempt timeout (one strategy, <see cref="InstanceAttemptStrategy"/>). The total timeout is the token of the context the client runs the pipeline
/// in (a <see cref="CallDeadline"/>), so it also bounds the retry's backoff delays.
/// </summary>
internal sealed class ServicePipelineProvider(IOptions<SwitchboardOptions> options, CircuitBreakerRegistry breakers, LoadBalancingPolicyProvider policies, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (EffectiveServiceOptions Options, ResiliencePipeline<HttpResponseMessage> Pipeline, ILoadBalancingPolicy Policy)> _pipelines = new(StringComparer.Ordinal);

    /// <summary>The service's options, pipeline and load-balancing policy, built once per service.</summary>
    public (EffectiveServiceOptions Options, ResiliencePipeline<HttpResponseMessage> Pipeline, ILoadBalancingPolicy Policy) Get(string service) =>
        _pipelines.GetOrAdd(service, static (name, self) =>
        {
            var effective = self.Options.ForService(name);
            return (effective, self.Build(effective), self.Policies.Get(effective.LoadBalancingPolicy));
        }, this);

    private LoadBalancingPolicyProvider Policies => policies;

    private SwitchboardOptions Options => options.Value;

    private ResiliencePipeline<HttpResponseMessage> Build(EffectiveServiceOptions o)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time, Name = $"switchboard-{o.ServiceName}" };
        if (o.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry",
                MaxRetryAttempts = o.MaxAttempts - 1,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context)),
                // An open circuit sent nothing: try the next instance at once. Else Retry-After, else the exponential backoff.
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Exception is CircuitOpenException ? TimeSpan.Zero : RetryAfter.Of(args.Outcome.Result, time)),
            });
        }
        builder.AddStrategy(_ => new InstanceAttemptStrategy(o.CircuitBreakerEnabled ? breakers : null, o.AttemptTimeout, time), new NamedStrategyOptions("instance-pick-circuit-breaker-and-attempt-timeout"));
        return builder.Build();
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var call = context.Properties.GetValue(CallState.Key, null!);
        if (!call.RetryAllowed || context.CancellationToken.IsCancellationRequested || !FailureClassifier.IsTransient(outcome))
            return false;
        if (RetryAfter.Of(outcome.Result, time) is { } wait)
        {
            // Honour Retry-After, but never past the total timeout: answer now rather than time out waiting.
            var remaining = call.Options.TotalTimeout - time.GetElapsedTime(call.StartTimestamp);
            return wait < remaining;
        }
        return true;
    }

    private sealed class NamedStrategyOptions : ResilienceStrategyOptions
    {
        public NamedStrategyOptions(string name) => Name = name;
    }
}
