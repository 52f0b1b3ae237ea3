using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Limits;

/// <summary>
/// The write rate limit (<see cref="WriteLimitOptions"/>): one <see cref="TimedTokenBucket"/> per client address, kept by
/// System.Threading.RateLimiting's partitioned limiter (which drops a bucket that has stayed full for a while: a new one is
/// the same). Loopback callers are exempt unless configured otherwise; so is a request with no client address (an
/// in-process test host: no network caller to count).
/// </summary>
internal sealed class WriteRateLimiter : IDisposable
{
    private readonly WriteLimitOptions _options;
    private readonly PartitionedRateLimiter<IPAddress> _buckets;
    private readonly string _limits;

    public WriteRateLimiter(IOptions<LimitsOptions> options, TimeProvider time)
    {
        _options = options.Value.Writes;
        var burst = _options.Burst;
        var rate = _options.PermitsPerSecond;
        _buckets = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address =>
            RateLimitPartition.Get(address, _ => new TimedTokenBucket(time, burst, rate)));
        _limits = string.Create(CultureInfo.InvariantCulture,
            $"at most {rate} per second, in bursts of up to {burst} ({WriteLimitOptionsValidator.Key(nameof(WriteLimitOptions.PermitsPerSecond))}, {WriteLimitOptionsValidator.Key(nameof(WriteLimitOptions.Burst))})");
    }

    /// <summary>Takes a permit for the write of the request's client; false with the refusal (429) when its bucket is empty.</summary>
    public bool TryAcquire(HttpContext context, out LimitRefusal? refusal)
    {
        refusal = null;
        if (_options.PermitsPerSecond == 0 || context.Connection.RemoteIpAddress is not { } remote)
            return true;
        var address = ClientAddress.Of(remote);
        if (_options.ExemptLoopback && IPAddress.IsLoopback(address))
            return true;
        using var lease = _buckets.AttemptAcquire(address);
        if (lease.IsAcquired)
            return true;
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        refusal = new LimitRefusal(StatusCodes.Status429TooManyRequests, "Too many writes from this client.",
            $"too many writes from {address}: {_limits}", retryAfter);
        return false;
    }

    /// <inheritdoc />
    public void Dispose() => _buckets.Dispose();
}
