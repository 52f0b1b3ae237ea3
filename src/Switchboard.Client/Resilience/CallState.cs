using Polly;
using Switchboard.Client.Discovery;
using Switchboard.Client.Endpoints;
using Switchboard.Client.LoadBalancing;

namespace Switchboard.Client.Resilience;

/// <summary>The state of one service call across its attempts, carried in the Polly <see cref="ResilienceContext"/>.</summary>
internal sealed class CallState
{
    public static readonly ResiliencePropertyKey<CallState> Key = new("Switchboard.Call");

    private List<InstanceEndpoint>? _tried;
    private Outcome<HttpResponseMessage>? _firstOutcome;
    private readonly TimeProvider _time;
    private readonly long _attemptsStart;

    public CallState(string service, DiscoveryResult discovery, InstanceQuery? query, ILoadBalancingPolicy policy, EffectiveServiceOptions options, bool retryAllowed, TimeProvider time)
    {
        Service = service;
        Discovery = discovery;
        Eligible = query is null ? discovery.HealthyEndpoints : [.. discovery.Select(query)];
        Policy = policy;
        Options = options;
        RetryAllowed = retryAllowed;
        _time = time;
        _attemptsStart = time.GetTimestamp();
    }

    public string Service { get; }

    public DiscoveryResult Discovery { get; }

    /// <summary>The instances this call may use: the healthy ones, filtered by the call's query.</summary>
    public System.Collections.Immutable.ImmutableArray<InstanceEndpoint> Eligible { get; }

    public ILoadBalancingPolicy Policy { get; }

    public EffectiveServiceOptions Options { get; }

    public bool RetryAllowed { get; }

    /// <summary>
    /// Whether another attempt may follow <paramref name="outcome"/> as far as the method is concerned: always when the
    /// attempt sent nothing (even a POST: the service never saw it), else when the method may be retried.
    /// </summary>
    public bool MayRetryAfter(Polly.Outcome<HttpResponseMessage> outcome) => RetryAllowed || FailureClassifier.NeverSent(outcome);

    /// <summary>
    /// What remains of the total timeout: the one origin of "time left", counted from the call's first attempt
    /// (discovery is not part of the total).
    /// </summary>
    public TimeSpan TimeLeft => Options.TotalTimeout - _time.GetElapsedTime(_attemptsStart);

    /// <summary>Whether the total timeout has run out (<see cref="TimeLeft"/> is not positive).</summary>
    public bool TotalTimedOut => TimeLeft <= TimeSpan.Zero;

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
            foreach (var e in Eligible.AsSpan())
            {
                if (e != Endpoint && (_tried is null || !_tried.Contains(e)))
                    return true;
            }
            return false;
        }
    }

    /// <summary>
    /// Picks the instance of the next attempt: the policy over the attempt's candidates (<see cref="Candidates"/>:
    /// not tried yet while others remain, not ejected unless all are), computed here once per attempt.
    /// </summary>
    public InstanceEndpoint? PickNext()
    {
        if (Endpoint is not null)
            (_tried ??= []).Add(Endpoint);
        var buffer = default(Candidates.Buffer);
        var candidates = Candidates.Select(Eligible.AsSpan(), _tried, buffer, out var panic);
        Panic = panic;
        var picked = Policy.Pick(candidates, Discovery.LoadBalancing);
        if (picked is not null)
        {
            Attempts++;
            Endpoint = picked;
        }
        return picked;
    }
}
