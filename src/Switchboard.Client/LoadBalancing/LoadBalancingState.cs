namespace Switchboard.Client.LoadBalancing;

/// <summary>State that a load-balancing policy keeps per service (one object per service, shared by all its calls).</summary>
public sealed class LoadBalancingState
{
    private int _counter = -1;

    /// <summary>Returns the next value of a shared counter, starting at 0 and wrapping around.</summary>
    /// <returns>The next counter value as an unsigned number.</returns>
    public uint Next() => unchecked((uint)Interlocked.Increment(ref _counter));
}
