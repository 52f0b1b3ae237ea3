using System.Threading.RateLimiting;

namespace Switchboard.Server.Limits;

/// <summary>
/// A token bucket on a <see cref="TimeProvider"/>: holds at most <c>capacity</c> permits and refills continuously at
/// <c>permitsPerSecond</c>, computed from the provider's clock at each acquisition; never queues.
/// </summary>
/// <remarks>
/// Not <see cref="TokenBucketRateLimiter"/>: in .NET 10 its refill (automatic or through <c>TryReplenish</c>) is measured on
/// <c>Stopwatch</c> time, so a fake clock cannot drive it, and tests of a refill would have to sleep.
/// </remarks>
internal sealed class TimedTokenBucket : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(true, null);

    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly double _permitsPerSecond;
    private readonly Lock _lock = new();
    private double _tokens;
    private long _updatedAt;

    public TimedTokenBucket(TimeProvider time, int capacity, int permitsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(permitsPerSecond, 1);
        _time = time;
        _capacity = capacity;
        _permitsPerSecond = permitsPerSecond;
        _tokens = capacity;
        _updatedAt = time.GetTimestamp();
    }

    /// <summary>How long the bucket has been full (a full bucket is as good as a new one); null while it is refilling.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var sinceUpdate = _time.GetElapsedTime(_updatedAt);
                var untilFull = TimeSpan.FromSeconds((_capacity - _tokens) / _permitsPerSecond);
                return sinceUpdate >= untilFull ? sinceUpdate - untilFull : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _capacity);
        lock (_lock)
        {
            Refill();
            if (permitCount == 0)
                return _tokens >= 1 ? Acquired : new Lease(false, RetryAfter(1));
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                return Acquired;
            }
            return new Lease(false, RetryAfter(permitCount));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        => ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + _time.GetElapsedTime(_updatedAt, now).TotalSeconds * _permitsPerSecond);
        _updatedAt = now;
    }

    private TimeSpan RetryAfter(int permitCount) => TimeSpan.FromSeconds((permitCount - _tokens) / _permitsPerSecond);

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
