using Polly;
using Switchboard.Client.Endpoints;

namespace Switchboard.Client.Resilience;

/// <summary>
/// The circuit breaker of one instance, with the seeds' semantics: it opens after <c>FailureThreshold</c>
/// consecutive failures, ejecting the instance from load balancing at once; after <c>BreakDuration</c> it turns
/// half-open (the instance is admitted again) and lets probes through one at a time; <c>SuccessThreshold</c>
/// consecutive successes close it, one failure opens it again. Polly's own breaker counts a failure ratio over a
/// sampling window and has no success threshold, hence this one.
/// </summary>
internal sealed class InstanceCircuitBreaker
{
    private readonly Lock _lock = new();
    private readonly InstanceEndpoint _endpoint;
    private readonly string _service;
    private readonly int _failureThreshold;
    private readonly int _successThreshold;
    private readonly TimeSpan _breakDuration;
    private readonly TimeProvider _time;
    private readonly Action<InstanceCircuitBreaker, CircuitState, CircuitState> _onTransition;
    // Volatile so that the common case (closed, no failures) is decided without the lock: every call of every
    // caller goes through TryAcquire and OnSuccess of the same few breakers.
    private volatile CircuitState _state;
    private volatile int _failures;
    private int _successes;
    private bool _probeInFlight;
    private DateTimeOffset _openUntil;
    private ITimer? _timer;

    public InstanceCircuitBreaker(InstanceEndpoint endpoint, string service, EffectiveServiceOptions options, TimeProvider time, Action<InstanceCircuitBreaker, CircuitState, CircuitState> onTransition)
    {
        _endpoint = endpoint;
        _service = service;
        _failureThreshold = options.FailureThreshold;
        _successThreshold = options.SuccessThreshold;
        _breakDuration = options.BreakDuration;
        _time = time;
        _onTransition = onTransition;
    }

    public InstanceEndpoint Endpoint => _endpoint;

    public string ServiceName => _service;

    public CircuitState State => _state;

    /// <summary>Whether a call may go to the instance now; <paramref name="panic"/> lets it through even when open (every instance is ejected).</summary>
    public bool TryAcquire(bool panic, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (_state == CircuitState.Closed)
            return true;
        (CircuitState, CircuitState)? transition = null;
        lock (_lock)
        {
            if (_state == CircuitState.Open)
            {
                var now = _time.GetUtcNow();
                if (now < _openUntil && !panic)
                {
                    retryAfter = _openUntil - now;
                    return false;
                }
                if (now >= _openUntil)
                    transition = ToHalfOpenLocked();
                else
                    return true;
            }
            if (_state == CircuitState.HalfOpen)
            {
                if (_probeInFlight && !panic)
                    return Raise(transition, false);
                _probeInFlight = true;
            }
        }
        return Raise(transition, true);
    }

    public void OnSuccess()
    {
        // Nothing to reset. A failure recorded concurrently may survive this success: "consecutive" is only
        // defined up to the order in which concurrent calls finish.
        if (_state == CircuitState.Closed && _failures == 0)
            return;
        (CircuitState, CircuitState)? transition = null;
        lock (_lock)
        {
            switch (_state)
            {
                case CircuitState.Closed:
                    _failures = 0;
                    break;
                case CircuitState.Open:
                    // A panic-mode call succeeded while open: count it as a half-open probe.
                    transition = ToHalfOpenLocked();
                    goto case CircuitState.HalfOpen;
                case CircuitState.HalfOpen:
                    _probeInFlight = false;
                    if (++_successes >= _successThreshold)
                        transition = (transition?.Item1 ?? CircuitState.HalfOpen, CloseLocked());
                    break;
            }
        }
        Raise(transition, true);
    }

    public void OnFailure()
    {
        (CircuitState, CircuitState)? transition = null;
        lock (_lock)
        {
            switch (_state)
            {
                case CircuitState.Closed when ++_failures >= _failureThreshold:
                    transition = (CircuitState.Closed, OpenLocked());
                    break;
                case CircuitState.HalfOpen:
                    _probeInFlight = false;
                    transition = (CircuitState.HalfOpen, OpenLocked());
                    break;
                case CircuitState.Open:
                    _openUntil = _time.GetUtcNow() + _breakDuration;
                    break;
            }
        }
        Raise(transition, true);
    }

    /// <summary>The call ended without a verdict on the instance (the caller cancelled).</summary>
    public void OnIgnored()
    {
        if (_state == CircuitState.Closed)
            return;
        lock (_lock)
            _probeInFlight = false;
    }

    /// <summary>
    /// Counts an attempt's outcome: a failure of the instance (<see cref="FailureClassifier.IsInstanceFailure"/>), a
    /// success, or nothing when <paramref name="cancellationToken"/> (the caller's, or an outer timeout's) ended it.
    /// </summary>
    public void Record(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            OnIgnored();
        else if (FailureClassifier.IsInstanceFailure(outcome))
            OnFailure();
        else
            OnSuccess();
    }

    public CircuitBreakerSnapshot Snapshot()
    {
        lock (_lock)
            return new(_service, _endpoint.InstanceId, _state, _failures, _successes, _state == CircuitState.Open ? _openUntil : null);
    }

    private CircuitState OpenLocked()
    {
        _state = CircuitState.Open;
        _successes = 0;
        _openUntil = _time.GetUtcNow() + _breakDuration;
        _endpoint.SetEjected(true);
        _timer?.Dispose();
        _timer = _time.CreateTimer(static s => ((InstanceCircuitBreaker)s!).OnBreakElapsed(), this, _breakDuration, Timeout.InfiniteTimeSpan);
        return CircuitState.Open;
    }

    private (CircuitState, CircuitState) ToHalfOpenLocked()
    {
        _state = CircuitState.HalfOpen;
        _successes = 0;
        _probeInFlight = false;
        _endpoint.SetEjected(false);
        _timer?.Dispose();
        _timer = null;
        return (CircuitState.Open, CircuitState.HalfOpen);
    }

    private CircuitState CloseLocked()
    {
        _state = CircuitState.Closed;
        _failures = 0;
        _successes = 0;
        _endpoint.SetEjected(false);
        return CircuitState.Closed;
    }

    private void OnBreakElapsed()
    {
        (CircuitState, CircuitState)? transition = null;
        lock (_lock)
        {
            if (_state == CircuitState.Open && _time.GetUtcNow() >= _openUntil)
                transition = ToHalfOpenLocked();
            else if (_state == CircuitState.Open)
                _timer = _time.CreateTimer(static s => ((InstanceCircuitBreaker)s!).OnBreakElapsed(), this, _openUntil - _time.GetUtcNow(), Timeout.InfiniteTimeSpan);
        }
        Raise(transition, true);
    }

    private bool Raise((CircuitState From, CircuitState To)? transition, bool result)
    {
        if (transition is { } t && t.From != t.To)
            _onTransition(this, t.From, t.To);
        return result;
    }
}
