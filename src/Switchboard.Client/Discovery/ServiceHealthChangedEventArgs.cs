using Switchboard.Instances;

namespace Switchboard.Client.Discovery;

/// <summary>An instance of a watched service appeared, disappeared, or changed between healthy and unhealthy (seed 003 <c>on_service_health_change</c>).</summary>
/// <param name="serviceName">The service.</param>
/// <param name="kind">What changed.</param>
/// <param name="instance">The instance (its last known state when it disappeared).</param>
/// <param name="timestamp">When the client saw the change.</param>
public sealed class ServiceHealthChangedEventArgs(string serviceName, ServiceHealthChangeKind kind, ServiceInstance instance, DateTimeOffset timestamp) : EventArgs
{
    /// <summary>The service.</summary>
    public string ServiceName { get; } = serviceName;

    /// <summary>What changed.</summary>
    public ServiceHealthChangeKind Kind { get; } = kind;

    /// <summary>The instance.</summary>
    public ServiceInstance Instance { get; } = instance;

    /// <summary>Whether the instance now receives traffic.</summary>
    public bool IsHealthy => Kind is not ServiceHealthChangeKind.Disappeared && Instance.Status.IsHealthy();

    /// <summary>When the client saw the change.</summary>
    public DateTimeOffset Timestamp { get; } = timestamp;
}
