using System.Runtime.CompilerServices;
using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary>
/// Which instances an attempt may be sent to, computed once per attempt before the policy is asked (as YARP hands its
/// policies the available destinations): the healthy instances the call has not tried yet (all of them when it has
/// tried every one), then of those the ones not ejected by their circuit breaker; when every one is ejected, all of
/// them (<em>panic mode</em>: a call that may fail beats a call that is sure to fail without being tried). Policies
/// therefore never look at ejection or at the call's history.
/// </summary>
internal static class Candidates
{
    /// <summary>Up to this many candidates are gathered on the stack; more take one array.</summary>
    public const int StackCapacity = 16;

    /// <summary>
    /// The candidates among <paramref name="healthy"/>: <paramref name="healthy"/> itself when nothing is excluded
    /// (no allocation), else the remaining instances copied into <paramref name="scratch"/> (or a new array when they do not fit).
    /// </summary>
    /// <param name="healthy">The instances the call may use.</param>
    /// <param name="tried">The instances the call has tried, or null.</param>
    /// <param name="scratch">Room for the candidates, in the caller's frame (a <see cref="Buffer"/>).</param>
    /// <param name="panic">True when every remaining instance is ejected and the candidates are all of them.</param>
    public static ReadOnlySpan<InstanceEndpoint> Select(ReadOnlySpan<InstanceEndpoint> healthy, List<InstanceEndpoint>? tried, Span<InstanceEndpoint> scratch, out bool panic)
    {
        panic = false;
        if (healthy.IsEmpty)
            return healthy;
        ReadOnlySpan<InstanceEndpoint> untried = healthy;
        Span<InstanceEndpoint> room = default;
        if (tried is { Count: > 0 })
        {
            room = Room(scratch, healthy.Length);
            var n = 0;
            foreach (var e in healthy)
            {
                if (!tried.Contains(e))
                    room[n++] = e;
            }
            untried = n > 0 ? room[..n] : healthy;
            if (n == 0)
                room = default;
        }
        var ejected = 0;
        foreach (var e in untried)
        {
            if (e.IsEjected)
                ejected++;
        }
        if (ejected == 0)
            return untried;
        if (ejected == untried.Length)
        {
            panic = true;
            return untried;
        }
        // Compacting into the room the untried ones already occupy is safe: each kept element only moves left.
        if (room.IsEmpty)
            room = Room(scratch, untried.Length);
        var k = 0;
        foreach (var e in untried)
        {
            if (!e.IsEjected)
                room[k++] = e;
        }
        return room[..k];
    }

    private static Span<InstanceEndpoint> Room(Span<InstanceEndpoint> scratch, int length) =>
        length <= scratch.Length ? scratch[..length] : new InstanceEndpoint[length];

    /// <summary>Room for <see cref="StackCapacity"/> candidates, kept in the picking method's frame.</summary>
    [InlineArray(StackCapacity)]
    public struct Buffer
    {
        private InstanceEndpoint _first;
    }
}
