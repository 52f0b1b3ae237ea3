using Polly;
using Polly.Timeout;

namespace Switchboard.Client.Resilience;

/// <summary>
/// One running timeout of a call (the total or an attempt's): a token cancelled when <c>timeout</c> passes or when the
/// token it extends is cancelled. On the system clock the deadline comes from the shared
/// <see cref="DeadlineScheduler"/> (no runtime timer per call, up to 10 ms late); on any other clock (a test's) from an
/// exact timer. <see cref="End"/> turns a cancellation it caused into a <see cref="TimeoutRejectedException"/>, as
/// Polly's timeout strategy does.
/// </summary>
internal readonly struct CallDeadline
{
    private readonly DeadlineScheduler.Deadline? _deadline;
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _link;
    private readonly CancellationToken _outer;
    private readonly TimeSpan _timeout;

    private CallDeadline(TimeSpan timeout, TimeProvider time, CancellationToken outer)
    {
        _timeout = timeout;
        _outer = outer;
        if (time == TimeProvider.System)
        {
            _deadline = DeadlineScheduler.System.Arm(timeout);
            _source = _deadline.Source;
        }
        else
        {
            _source = new CancellationTokenSource(timeout, time);
        }
        _link = outer.CanBeCanceled ? outer.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _source) : default;
    }

    /// <summary>Cancelled when the timeout passes or the outer token is cancelled.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Starts a timeout of <paramref name="timeout"/> on <paramref name="time"/> that also ends with <paramref name="outer"/>.</summary>
    public static CallDeadline Start(TimeSpan timeout, TimeProvider time, CancellationToken outer) => new(timeout, time, outer);

    /// <summary>
    /// Ends the timeout (call once, when what it bounds has finished) and returns <paramref name="outcome"/>, or a
    /// <see cref="TimeoutRejectedException"/> when the outcome is the cancellation that this timeout caused.
    /// </summary>
    /// <param name="outcome">What the bounded work ended with.</param>
    /// <param name="reported">The timeout a timeout exception names, when it is not this deadline's own duration (a total timeout armed for the time that remained of it).</param>
    public Outcome<HttpResponseMessage> End(Outcome<HttpResponseMessage> outcome, TimeSpan? reported = null)
    {
        _link.Dispose();
        var timedOut = _source.IsCancellationRequested && !_outer.IsCancellationRequested;
        if (_deadline is not null)
            DeadlineScheduler.System.Release(_deadline);
        else
            _source.Dispose();
        return timedOut && outcome.Exception is OperationCanceledException canceled
            ? Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{reported ?? _timeout}'.", reported ?? _timeout, canceled))
            : outcome;
    }
}
