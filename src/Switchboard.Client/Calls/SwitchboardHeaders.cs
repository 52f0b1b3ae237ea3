namespace Switchboard.Client.Calls;

/// <summary>The headers the client sends with every call.</summary>
public static class SwitchboardHeaders
{
    /// <summary>The request id, propagated from the incoming request when there is one (seeds 000, 004).</summary>
    public const string RequestId = "X-Request-ID";

    /// <summary>The calling service's name (seed 000).</summary>
    public const string ServiceName = "X-Service-Name";
}
