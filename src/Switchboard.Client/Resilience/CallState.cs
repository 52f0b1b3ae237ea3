using Polly;
using Switchboard.Client.Discovery;
using Switchboard.Client.Endpoints;

namespace Switchboard.Client.Resilience;

/// <summary>The state of one service call across its attempts, carried in the Polly <see cref="ResilienceContext"/>.</summary>
internal sealed class CallState
{
    public static readonly ResiliencePropertyKey<CallState> Key = new("Switchboard.Call");

    private List<InstanceEndpoint>? _tried;
    private Outcome<HttpResponseMessage>? _firstOutcome;

    public CallState(string service, DiscoveryResult discovery, InstanceQuery? query, Switchboard.Client.LoadBalancing.ILoadBalancingPolicy policy, EffectiveServiceOptions options, bool retryAllowed, long startTimestamp)
    {
        Service = service;
        Discovery = discovery;
        Candidates = query is null ? discovery.HealthyEndpoints : [.. discovery.Select(query)];
        Policy = policy;
        Options = options;
        RetryAllowed = retryAllowed;
        StartTimestamp = startTimestamp;
    }

    public string Service { get; }

    public DiscoveryResult Discovery { get; }

    /// <summary>The instances this call may use: the healthy ones, filtered by the call's query.</summary>
    public System.Collections.Immutable.ImmutableArray<InstanceEndpoint> Candidates { get; }

    public Switchboard.Client.LoadBalancing.ILoadBalancingPolicy Policy { get; }

    public EffectiveServiceOptions Options { get; }

    public bool RetryAllowed { get; }

    /// <summary>
    /// Whether another attempt may follow <paramref name="outcome"/> as far as the method is concerned: always when the
    /// attempt sent nothing (even a POST: the service never saw it), else when the method may be retried.
    /// </summary>
    public bool MayRetryAfter(Polly.Outcome<HttpResponseMessage> outcome) => RetryAllowed || FailureClassifier.NeverSent(outcome);

    public long StartTimestamp { get; }

    /// <summary>The instance of the current attempt.</summary>
    public InstanceEndpoint? Endpoint { get; private set; }

    /// <summary>Whether the current attempt was picked in panic mode (every instance ejected).</summary>
    public bool Panic { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>
    /// The current attempt's token: cancelled by its attempt timeout, the call's total timeout or the caller (set by
    /// <see cref="InstanceAttemptStrategy"/>).
    /// </summary>
    public CancellationToken AttemptToken { get; set; }

    /// <summary>Keeps the first attempt's outcome for the retry pipeline, which replays it as its own first attempt.</summary>
    public void ReplayFirst(Outcome<HttpResponseMessage> outcome) => _firstOutcome = outcome;

    /// <summary>The outcome kept by <see cref="ReplayFirst"/>, once; null when there is none.</summary>
    public Outcome<HttpResponseMessage>? TakeFirstOutcome()
    {
        var first = _firstOutcome;
        _firstOutcome = null;
        return first;
    }

    /// <summary>Whether an instance other than the current attempt's and those tried before it remains for the next attempt.</summary>
    public bool HasUntried
    {
        get
        {
            foreach (var e in Candidates.AsSpan())
            {
                if (e != Endpoint && (_tried is null || !_tried.Contains(e)))
                    return true;
            }
            return false;
        }
    }

    /// <summary>Picks the instance of the next attempt: the policy over the healthy instances, avoiding those already tried while others remain.</summary>
    public InstanceEndpoint? PickNext()
    {
        var all = Candidates.AsSpan();
        if (Endpoint is not null)
            (_tried ??= []).Add(Endpoint);
        InstanceEndpoint? picked;
        if (_tried is null)
        {
            Panic = all.Length > 0 && Switchboard.Client.LoadBalancing.Candidates.Count(all, out var panic) > 0 && panic;
            picked = Policy.Pick(all, Discovery.LoadBalancing);
        }
        else
        {
            var rest = new List<InstanceEndpoint>(all.Length);
            foreach (var e in all)
            {
                if (!_tried.Contains(e))
                    rest.Add(e);
            }
            var span = rest.Count > 0 ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rest) : all;
            Panic = span.Length > 0 && Switchboard.Client.LoadBalancing.Candidates.Count(span, out var panic) > 0 && panic;
            picked = Policy.Pick(span, Discovery.LoadBalancing);
        }
        if (picked is not null)
        {
            Attempts++;
            Endpoint = picked;
        }
        return picked;
    }
}
