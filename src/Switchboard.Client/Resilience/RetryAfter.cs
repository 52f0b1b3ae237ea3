using System.Net.Http.Headers;

namespace Switchboard.Client.Resilience;

/// <summary>Reads <c>Retry-After</c>.</summary>
internal static class RetryAfter
{
    /// <summary>The delay a response asks for (delta seconds or an HTTP date), or null.</summary>
    public static TimeSpan? Of(HttpResponseMessage? response, TimeProvider time)
    {
        if (response?.Headers.RetryAfter is not RetryConditionHeaderValue value)
            return null;
        if (value.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (value.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
