using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Tests.Limits;

/// <summary>The token bucket on fake time: refill, cap, and the idle time its partitioned limiter evicts it by.</summary>
public sealed class TimedTokenBucketTests
{
    [Fact]
    public void RefillsContinuously_UpToItsCapacity()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimedTokenBucket(time, capacity: 4, permitsPerSecond: 4);
        for (var i = 0; i < 4; i++)
            Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);

        time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True(bucket.AttemptAcquire().IsAcquired);
        Assert.False(bucket.AttemptAcquire().IsAcquired);

        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(4, bucket.GetStatistics()!.CurrentAvailablePermits);
    }

    [Fact]
    public void IdleDuration_NullWhileRefilling_ThenTimeSinceFull()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimedTokenBucket(time, capacity: 2, permitsPerSecond: 1);
        Assert.Equal(TimeSpan.Zero, bucket.IdleDuration);

        Assert.True(bucket.AttemptAcquire(2).IsAcquired);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(bucket.IdleDuration);

        time.Advance(TimeSpan.FromSeconds(4)); // full after 2 s, idle for 3
        Assert.Equal(TimeSpan.FromSeconds(3), bucket.IdleDuration);
    }

    [Fact]
    public void AFailedLease_SaysWhenToRetry()
    {
        var time = new FakeTimeProvider();
        using var bucket = new TimedTokenBucket(time, capacity: 1, permitsPerSecond: 2);
        Assert.True(bucket.AttemptAcquire().IsAcquired);

        using var refused = bucket.AttemptAcquire();
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(500), retryAfter);
    }
}
