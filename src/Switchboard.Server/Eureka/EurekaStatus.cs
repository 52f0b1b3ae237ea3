using Switchboard.Instances;

namespace Switchboard.Server.Eureka;

/// <summary>Eureka's instance statuses and their mapping onto Switchboard's health, both ways.</summary>
/// <remarks>
/// Eureka to Switchboard: <c>UP</c> is passing (the instance receives traffic); <c>DOWN</c>, <c>STARTING</c>,
/// <c>OUT_OF_SERVICE</c> and <c>UNKNOWN</c> are critical (hidden from discovery, as Eureka clients filter to <c>UP</c>).
/// An <c>OUT_OF_SERVICE</c> (or other) status override is the instance's maintenance check. Switchboard to Eureka:
/// passing and warning are <c>UP</c>, critical is <c>DOWN</c> unless the instance's own Eureka status says which kind
/// of not-up it is, and an instance in maintenance is <c>OUT_OF_SERVICE</c> (or the override's value).
/// </remarks>
internal static class EurekaStatus
{
    public const string Up = "UP";
    public const string Down = "DOWN";
    public const string Starting = "STARTING";
    public const string OutOfService = "OUT_OF_SERVICE";
    public const string Unknown = "UNKNOWN";

    /// <summary>Every status Eureka knows, as the 400 lists them.</summary>
    public static readonly string[] All = [Up, Down, Starting, OutOfService, Unknown];

    /// <summary>The status named by <paramref name="value"/> (case-insensitive), or null.</summary>
    public static string? Parse(string? value)
    {
        var upper = value?.Trim().ToUpperInvariant();
        return Array.IndexOf(All, upper) >= 0 ? upper : null;
    }

    /// <summary>The Switchboard health of an instance whose own Eureka status is <paramref name="status"/>.</summary>
    public static HealthStatus ToHealth(string status) => status == Up ? HealthStatus.Passing : HealthStatus.Critical;

    /// <summary>The Eureka status shown for an instance: its override, else its own status when its health agrees, else what its health says.</summary>
    public static string Of(ServiceInstance instance, out string overridden)
    {
        overridden = Unknown;
        if (instance.Checks.Count > 0 && instance.Checks[^1] is { } last && last.CheckId.StartsWith(Registry.Catalog.ServiceCatalog.MaintenanceCheckPrefix, StringComparison.Ordinal))
        {
            overridden = OverrideOf(last.Output);
            return overridden;
        }
        var healthy = instance.Status.IsHealthy();
        var own = instance.Metadata.TryGetValue(EurekaMeta.Status, out var s) ? Parse(s) : null;
        if (own is not null && (own == Up) == healthy)
            return own;
        return healthy ? Up : Down;
    }

    /// <summary>The reason a Eureka status override writes on the maintenance check.</summary>
    public static string OverrideReason(string status) => OverridePrefix + status;

    private const string OverridePrefix = "Eureka status override: ";

    /// <summary>The override a maintenance check stands for: the value set through Eureka, or <c>OUT_OF_SERVICE</c> for maintenance set another way (Consul's API).</summary>
    private static string OverrideOf(string output)
        => output.StartsWith(OverridePrefix, StringComparison.Ordinal) && Parse(output[OverridePrefix.Length..]) is { } value ? value : OutOfService;
}
