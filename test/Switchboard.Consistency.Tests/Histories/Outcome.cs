namespace Switchboard.Consistency.Tests.Histories;

/// <summary>How an operation ended, as its client knows it.</summary>
public enum Outcome
{
    /// <summary>Acknowledged (2xx).</summary>
    Ok,

    /// <summary>Refused, certainly not applied (4xx, 503, connection refused).</summary>
    Failed,

    /// <summary>Timed out or its connection broke: it may have taken effect, at any time after its invocation.</summary>
    Unknown,
}
