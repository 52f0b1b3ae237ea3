namespace Switchboard.Client.Calls;

/// <summary>Per-method settings of a typed (Refit) client method.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SwitchboardCallAttribute : Attribute
{
    /// <summary>Retry this method even when its HTTP method is not idempotent (POST, PATCH).</summary>
    /// <value>The default value is false.</value>
    public bool AllowRetry { get; init; }
}
