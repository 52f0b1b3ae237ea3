using System.Net;

namespace Switchboard.Client.Health;

/// <summary>How <c>MapSwitchboardHealth</c> answers.</summary>
public sealed class SwitchboardHealthOptions
{
    /// <summary>The status code for a degraded result.</summary>
    /// <value>The default value is 429, which the registry's HTTP check reads as <c>warning</c> (the instance keeps receiving traffic). Kubernetes probes treat 429 as a failure: point them at another path or set 200.</value>
    public int DegradedStatusCode { get; set; } = (int)HttpStatusCode.TooManyRequests;

    /// <summary>The status code for an unhealthy result.</summary>
    /// <value>The default value is 503 (the registry reads it as <c>critical</c>).</value>
    public int UnhealthyStatusCode { get; set; } = (int)HttpStatusCode.ServiceUnavailable;

    /// <summary>Only the checks with one of these tags run; all checks when empty.</summary>
    /// <value>The default value is empty.</value>
    public IList<string> Tags { get; } = [];
}
