using StackExchange.Redis;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis;

/// <summary>
/// Sends concurrent lease renewals to Redis together: one script call carries every renewal queued while the previous call
/// was out (up to a batch size), so a burst of heartbeats costs one round trip and one script run instead of one each.
/// A few calls may be out at once, so one slow reply does not hold every heartbeat behind it. Nothing waits on a timer:
/// when fewer calls are out than allowed, a renewal goes at once. Each caller's task completes only with Redis'
/// answer for its own renewal (renewed, unknown instance, or the error), or with the failure of the call that carried it.
/// </summary>
/// <param name="send">Sends renewals as one call; its reply holds one element per renewal, in order.</param>
/// <param name="maxBatch">The most renewals one call carries.</param>
/// <param name="maxCalls">The most calls out at once.</param>
internal sealed class RenewalBatcher(Func<IReadOnlyList<LeaseRenewal>, Task<RedisResult>> send, int maxBatch, int maxCalls)
{
    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _queue = new();
    private int _out;
    private long _calls;

    /// <summary>How many calls went to Redis.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Queues a renewal; true when Redis renewed it, false when Redis does not have the instance.</summary>
    public Task<bool> RenewAsync(LeaseRenewal renewal)
    {
        var waiter = new Waiter(renewal);
        List<Waiter>? batch = null;
        lock (_gate)
        {
            _queue.Enqueue(waiter);
            if (_out < maxCalls)
            {
                _out++;
                batch = TakeBatch();
            }
        }
        if (batch is not null)
            _ = SendLoopAsync(batch);
        return waiter.Done.Task;
    }

    /// <summary>Call under the gate.</summary>
    private List<Waiter> TakeBatch()
    {
        var batch = new List<Waiter>(Math.Min(_queue.Count, maxBatch));
        while (batch.Count < maxBatch && _queue.TryDequeue(out var waiter))
            batch.Add(waiter);
        return batch;
    }

    /// <summary>
    /// Sends batches one after the other until nothing is queued; whatever arrived during a call forms the next, which is sent
    /// before the answered batch's callers are completed, so Redis works on it while they write their answers.
    /// </summary>
    private async Task SendLoopAsync(List<Waiter> batch)
    {
        var reply = Send(batch);
        while (true)
        {
            RedisResult[]? replies = null;
            Exception? failure = null;
            try
            {
                replies = (RedisResult[]?)await reply.ConfigureAwait(false);
                if (replies is null)
                    failure = new RedisServerException(RedisErrorKind.Unknown, CommandFlags.None, $"Redis answered nothing for {batch.Count} renewals");
            }
            catch (Exception ex)
            {
                failure = ex;
            }
            List<Waiter>? next = null;
            lock (_gate)
            {
                if (_queue.Count == 0)
                    _out--;
                else
                    next = TakeBatch();
            }
            if (next is not null)
                reply = Send(next);
            Complete(batch, replies, failure);
            if (next is null)
                return;
            batch = next;
        }
    }

    /// <summary>Starts one call; a call that throws at once is a failed call.</summary>
    private Task<RedisResult> Send(List<Waiter> batch)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            var renewals = new LeaseRenewal[batch.Count];
            for (var i = 0; i < renewals.Length; i++)
                renewals[i] = batch[i].Renewal;
            return send(renewals);
        }
        catch (Exception ex)
        {
            return Task.FromException<RedisResult>(ex);
        }
    }

    /// <summary>
    /// Completes each waiter of an answered (or failed) call with its own answer. Their continuations run here, on the thread
    /// that took the reply, one after the other: each only finishes its caller's answer, and handing each to the thread pool
    /// would wake a thread per heartbeat.
    /// </summary>
    private static void Complete(List<Waiter> batch, RedisResult[]? replies, Exception? failure)
    {
        if (replies is null)
        {
            foreach (var waiter in batch)
                waiter.Done.TrySetException(failure!);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            var reply = i < replies.Length ? (string?)replies[i] : null;
            switch (reply)
            {
                case "1":
                    batch[i].Done.TrySetResult(true);
                    break;
                case "0":
                    batch[i].Done.TrySetResult(false);
                    break;
                default:
                    // The script failed for this renewal alone (a key of the namespace holds foreign data), as a single call would have.
                    batch[i].Done.TrySetException(new RedisServerException(RedisErrorKind.Unknown, CommandFlags.None, reply ?? $"Redis answered {replies.Length} results for {batch.Count} renewals"));
                    break;
            }
        }
    }

    private sealed class Waiter(LeaseRenewal renewal)
    {
        public LeaseRenewal Renewal { get; } = renewal;

        public TaskCompletionSource<bool> Done { get; } = new();
    }
}
