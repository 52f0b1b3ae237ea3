using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Server.Limits;

/// <summary>
/// Slots for long-lived requests (parked blocking queries, event-stream subscribers): at most <c>perClient</c> per client
/// address and <c>total</c> in all, held while the request waits. Built on System.Threading.RateLimiting's concurrency
/// limiters (one partition per address, one for the total), never queueing: a request past a limit is refused at once.
/// </summary>
internal sealed class ClientSlots : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _perClient;
    private readonly ConcurrencyLimiter _total;
    private readonly string _what;
    private readonly string _perClientKey;
    private readonly int _perClientLimit;
    private readonly string _totalKey;
    private readonly int _totalLimit;
    private readonly TimeSpan _retryAfter;

    /// <param name="what">What is limited, plural ("blocking queries").</param>
    /// <param name="perClientKey">The configuration key of the per-client limit.</param>
    /// <param name="perClient">The per-client limit.</param>
    /// <param name="totalKey">The configuration key of the total.</param>
    /// <param name="total">The total.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> of a refusal.</param>
    public ClientSlots(string what, string perClientKey, int perClient, string totalKey, int total, TimeSpan retryAfter)
    {
        _what = what;
        _perClientKey = perClientKey;
        _perClientLimit = perClient;
        _totalKey = totalKey;
        _totalLimit = total;
        _retryAfter = retryAfter;
        _perClient = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetConcurrencyLimiter(address,
            _ => new ConcurrencyLimiterOptions { PermitLimit = perClient, QueueLimit = 0 }));
        _total = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = total, QueueLimit = 0 });
    }

    /// <summary>Takes a slot for the request's client; false with the refusal (429 per client, 503 total) when none is free.</summary>
    public bool TryAcquire(HttpContext context, out Slot slot, out LimitRefusal? refusal)
    {
        var address = ClientAddress.Of(context.Connection.RemoteIpAddress);
        var client = _perClient.AttemptAcquire(address);
        if (!client.IsAcquired)
        {
            client.Dispose();
            slot = default;
            refusal = new LimitRefusal(StatusCodes.Status429TooManyRequests, $"Too many {_what} from this client.",
                string.Create(CultureInfo.InvariantCulture, $"too many {_what} from {address}: at most {_perClientLimit} per client ({_perClientKey})"), _retryAfter);
            return false;
        }
        var total = _total.AttemptAcquire();
        if (!total.IsAcquired)
        {
            total.Dispose();
            client.Dispose();
            slot = default;
            refusal = new LimitRefusal(StatusCodes.Status503ServiceUnavailable, $"Too many {_what}.",
                string.Create(CultureInfo.InvariantCulture, $"too many {_what}: at most {_totalLimit} in all ({_totalKey})"), _retryAfter);
            return false;
        }
        slot = new Slot(client, total);
        refusal = null;
        return true;
    }

    /// <summary>Takes a slot or throws <see cref="LimitRefusedException"/> (for the Consul API, which answers it as text).</summary>
    public Slot Acquire(HttpContext context)
        => TryAcquire(context, out var slot, out var refusal) ? slot : throw new LimitRefusedException(refusal!);

    /// <inheritdoc />
    public void Dispose()
    {
        _perClient.Dispose();
        _total.Dispose();
    }

    /// <summary>A held slot; dispose to free it.</summary>
    public readonly struct Slot(RateLimitLease client, RateLimitLease total) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose()
        {
            total?.Dispose();
            client?.Dispose();
        }
    }
}
