using Switchboard.Client.Endpoints;

namespace Switchboard.Client.LoadBalancing;

/// <summary>Helpers the policies share: which endpoints are candidates, and panic mode.</summary>
internal static class Candidates
{
    /// <summary>Counts the endpoints that are not ejected; when there are none, panic mode: every endpoint counts.</summary>
    public static int Count(ReadOnlySpan<InstanceEndpoint> endpoints, out bool panic)
    {
        var count = 0;
        foreach (var e in endpoints)
        {
            if (!e.IsEjected)
                count++;
        }
        panic = count == 0;
        return panic ? endpoints.Length : count;
    }

    /// <summary>Whether <paramref name="endpoint"/> is a candidate.</summary>
    public static bool Is(InstanceEndpoint endpoint, bool panic) => panic || !endpoint.IsEjected;

    /// <summary>The <paramref name="n"/>-th candidate (0-based).</summary>
    /// <remarks>An ejection may race with the pick; then the last endpoint is returned rather than failing the call.</remarks>
    public static InstanceEndpoint Nth(ReadOnlySpan<InstanceEndpoint> endpoints, int n, bool panic)
    {
        if (panic)
            return endpoints[n];
        foreach (var e in endpoints)
        {
            if (!e.IsEjected && n-- == 0)
                return e;
        }
        return endpoints[^1];
    }
}
