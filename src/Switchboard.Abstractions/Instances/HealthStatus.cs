namespace Switchboard.Instances;

/// <summary>The health of one service instance, as Consul names it.</summary>
/// <remarks>
/// <see cref="Passing"/> and <see cref="Warning"/> count as healthy (they receive traffic);
/// <see cref="Critical"/> is unhealthy. The seed-001 API shows these as <c>healthy</c> / <c>unhealthy</c>.
/// </remarks>
public enum HealthStatus
{
    /// <summary>The instance is healthy.</summary>
    Passing = 0,

    /// <summary>The instance answers but reports a degraded state (for example HTTP 429); it still receives traffic.</summary>
    Warning = 1,

    /// <summary>The instance is unhealthy and receives no traffic.</summary>
    Critical = 2,
}

/// <summary>Conversions between <see cref="HealthStatus"/> and its wire names.</summary>
public static class HealthStatusNames
{
    /// <summary>The wire name of <see cref="HealthStatus.Passing"/>.</summary>
    public const string Passing = "passing";

    /// <summary>The wire name of <see cref="HealthStatus.Warning"/>.</summary>
    public const string Warning = "warning";

    /// <summary>The wire name of <see cref="HealthStatus.Critical"/>.</summary>
    public const string Critical = "critical";

    /// <summary>The seed-001 name of a status that receives traffic.</summary>
    public const string Healthy = "healthy";

    /// <summary>The seed-001 name of a status that receives no traffic.</summary>
    public const string Unhealthy = "unhealthy";

    /// <summary>Whether an instance with this status receives traffic.</summary>
    public static bool IsHealthy(this HealthStatus status) => status != HealthStatus.Critical;

    /// <summary>The lowercase wire name (<c>passing</c>, <c>warning</c>, <c>critical</c>).</summary>
    public static string ToWireName(this HealthStatus status) => status switch
    {
        HealthStatus.Passing => Passing,
        HealthStatus.Warning => Warning,
        _ => Critical,
    };

    /// <summary>The seed-001 name (<c>healthy</c> or <c>unhealthy</c>).</summary>
    public static string ToHealthName(this HealthStatus status) => status.IsHealthy() ? Healthy : Unhealthy;

    /// <summary>Parses a wire name; accepts the Consul names and the seed-001 names, case-insensitively.</summary>
    public static bool TryParse(string? value, out HealthStatus status)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case Passing or Healthy or "pass":
                status = HealthStatus.Passing;
                return true;
            case Warning or "warn":
                status = HealthStatus.Warning;
                return true;
            case Critical or Unhealthy or "fail":
                status = HealthStatus.Critical;
                return true;
            default:
                status = HealthStatus.Critical;
                return false;
        }
    }
}
