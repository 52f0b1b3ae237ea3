namespace Switchboard.Registry.Notifications;

/// <summary>The one blocking-wait loop of every blocking query (catalog and key/value, every API).</summary>
internal static class BlockingWait
{
    /// <summary>
    /// Reads (signal, value, index) until the index passes <paramref name="index"/> or <paramref name="wait"/> (at most
    /// <paramref name="maxWait"/>) elapses on <paramref name="time"/>, and returns the value last read. The normal timeout is
    /// not an exception: the wait suppresses it and the loop reads again.
    /// </summary>
    /// <param name="time">The clock of the timeout.</param>
    /// <param name="maxWait">The longest wait allowed.</param>
    /// <param name="index">The index the caller has seen.</param>
    /// <param name="wait">How long to wait at most.</param>
    /// <param name="read">Takes the signal before the state it guards (a change completes the signal after the state is set); null: read again at once.</param>
    /// <param name="cancellationToken">The caller's cancellation (a client that went away), which does throw.</param>
    public static async Task<T> RunAsync<T>(TimeProvider time, TimeSpan maxWait, long index, TimeSpan wait, Func<(Task Signal, T Value, long Index)?> read, CancellationToken cancellationToken)
    {
        if (wait > maxWait)
            wait = maxWait;
        var deadline = time.GetTimestamp() + (long)(wait.TotalSeconds * time.TimestampFrequency);
        var timedOut = false;
        while (true)
        {
            if (read() is not { } seen)
                continue;
            if (seen.Index > index || timedOut)
                return seen.Value; // after the wait's own timer: never a second wait for what rounding left of it
            var remaining = time.GetElapsedTime(time.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero)
                return seen.Value;
            Diagnostics.RegistryTelemetry.Parked(1);
            try
            {
                await seen.Signal.WaitAsync(remaining, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            finally
            {
                Diagnostics.RegistryTelemetry.Parked(-1);
            }
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = !seen.Signal.IsCompleted;
        }
    }
}
