using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Retry;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.LoadBalancing;

namespace Switchboard.Client.Resilience;

/// <summary>
/// Builds and caches the <see cref="ServicePipeline"/> of each service: its options, its load-balancing policy, the
/// strategy that makes each attempt (instance pick, per-instance circuit breaker and attempt timeout:
/// <see cref="InstanceAttemptStrategy"/>) and, around it, Polly's retry (exponential backoff with jitter,
/// <c>Retry-After</c> honoured within the total timeout, idempotent methods only unless opted in). The client makes a
/// call's first attempt through the strategy directly and runs the retry, under the total timeout's token (a
/// <see cref="CallDeadline"/>, so it also bounds the backoff delays), only after a failure worth retrying.
/// The retry pipelines live in Polly's <see cref="ResiliencePipelineRegistry{TKey}"/>, keyed by service (named
/// <c>switchboard-{service}</c> in Polly's telemetry, which is on), which builds each once. The registry is not
/// disposed: these pipelines hold nothing to release (no rate limiter, no reload token), and Polly's disposal waits, on
/// the pipelines' own clock, for executions still in flight, which would hold a host's shutdown for calls still backing off.
/// </summary>
internal sealed class ServicePipelineProvider(IOptions<SwitchboardOptions> options, CircuitBreakerRegistry breakers, LoadBalancingPolicyProvider policies, TimeProvider time, ClientInstruments instruments)
{
    private readonly ConcurrentDictionary<string, ServicePipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly ResiliencePipelineRegistry<string> _retries = new(new ResiliencePipelineRegistryOptions<string>
    {
        BuilderNameFormatter = service => $"switchboard-{service}",
    });

    /// <summary>The service's pipeline, built once per service (its retry pipeline on first use).</summary>
    public ServicePipeline Get(string service) =>
        _pipelines.GetOrAdd(service, static (name, self) =>
        {
            var effective = self.Options.ForService(name);
            var attempts = new InstanceAttemptStrategy(effective.CircuitBreakerEnabled ? self.Breakers : null, effective.AttemptTimeout, self.Time, self.Instruments);
            return new ServicePipeline(effective, self.Policies.Get(effective.LoadBalancingPolicy), attempts, self.BuildRetries);
        }, this);

    private LoadBalancingPolicyProvider Policies => policies;

    private CircuitBreakerRegistry Breakers => breakers;

    private TimeProvider Time => time;

    private ClientInstruments Instruments => instruments;

    private SwitchboardOptions Options => options.Value;

    private ResiliencePipeline<HttpResponseMessage>? BuildRetries(ServicePipeline service) =>
        service.Options.MaxAttempts <= 1 ? null : _retries.GetOrAddPipeline<HttpResponseMessage>(service.Options.ServiceName, (builder, _) => ConfigureRetries(builder, service));

    private void ConfigureRetries(ResiliencePipelineBuilder<HttpResponseMessage> builder, ServicePipeline service)
    {
        var o = service.Options;
        builder.TimeProvider = time;
        builder
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry",
                MaxRetryAttempts = o.MaxAttempts - 1,
                Delay = o.RetryBaseDelay,
                MaxDelay = o.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(Delay(args.Outcome, args.Context)),
            })
            .AddStrategy(_ => service.Attempts, new NamedStrategyOptions("instance-pick-circuit-breaker-and-attempt-timeout"))
            // Polly's own meter ("Polly": resilience.polly.strategy.events with each retry, pipeline durations); no logs,
            // the client logs what it decides itself.
            .ConfigureTelemetry(new Polly.Telemetry.TelemetryOptions());
    }

    /// <summary>
    /// An attempt that met a gone instance (an open circuit, a refused connection, a connection closed or reset under
    /// the request) moves to an instance not tried yet at once: the backoff would only delay the call that met it.
    /// Otherwise <c>Retry-After</c>, else null: the exponential backoff, which spares a busy service. A gone instance
    /// with nothing else to try (a single instance restarting) still backs off.
    /// </summary>
    private TimeSpan? Delay(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        if (outcome.Exception is CircuitOpenException)
            return TimeSpan.Zero;
        if (FailureClassifier.InstanceGone(outcome) && context.Properties.GetValue(CallState.Key, null!).HasUntried)
            return TimeSpan.Zero;
        return RetryAfter.Of(outcome.Result, time);
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var call = context.Properties.GetValue(CallState.Key, null!);
        if (!call.MayRetryAfter(outcome) || context.CancellationToken.IsCancellationRequested || !FailureClassifier.IsTransient(outcome))
            return false;
        if (call.Panic && !call.HasUntried)
            return false; // every instance is ejected and this was the last one left: its panic attempt was the probe, another would repeat it
        if (RetryAfter.Of(outcome.Result, time) is { } wait)
        {
            // Honour Retry-After, but never past the total timeout: answer now rather than time out waiting.
            return wait < call.TimeLeft;
        }
        return true;
    }

    private sealed class NamedStrategyOptions : ResilienceStrategyOptions
    {
        public NamedStrategyOptions(string name) => Name = name;
    }
}
