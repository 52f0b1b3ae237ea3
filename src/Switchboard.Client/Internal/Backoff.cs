namespace Switchboard.Client.Internal;

/// <summary>Exponential backoff with jitter, for retries against the registry.</summary>
internal static class Backoff
{
    /// <summary>
    /// The delay before retry number <paramref name="attempt"/> (0-based): <c>min(max, base * 2^attempt)</c>, then
    /// "equal jitter": a random point in its upper half, so clients that failed together do not retry together.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double random01)
    {
        var exp = Math.Min(attempt, 30);
        var ticks = Math.Min((double)maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, exp));
        return TimeSpan.FromTicks((long)(ticks / 2 + ticks / 2 * random01));
    }
}
