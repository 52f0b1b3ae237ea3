namespace Switchboard.Registration;

/// <summary>The bounds every registration is checked against.</summary>
public static class RegistrationLimits
{
    /// <summary>The longest service name.</summary>
    public const int MaxServiceNameLength = 253;

    /// <summary>The longest DNS label inside a service name.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// The check-id prefix reserved for maintenance mode (the check the registry adds, as Consul names it:
    /// <c>_service_maintenance:&lt;instance id&gt;</c>); a registration may not use it.
    /// </summary>
    public const string ReservedCheckIdPrefix = "_service_maintenance:";

    /// <summary>The longest instance id.</summary>
    public const int MaxInstanceIdLength = 128;

    /// <summary>The longest host.</summary>
    public const int MaxHostLength = 253;

    /// <summary>The longest base path or health-check path.</summary>
    public const int MaxPathLength = 1024;

    /// <summary>The most tags on one instance.</summary>
    public const int MaxTags = 64;

    /// <summary>The longest tag.</summary>
    public const int MaxTagLength = 128;

    /// <summary>The most metadata entries on one instance.</summary>
    public const int MaxMetadataEntries = 64;

    /// <summary>The longest metadata key.</summary>
    public const int MaxMetadataKeyLength = 128;

    /// <summary>The longest metadata value.</summary>
    public const int MaxMetadataValueLength = 512;

    /// <summary>The longest version or zone string.</summary>
    public const int MaxShortStringLength = 64;

    /// <summary>The smallest and largest weight.</summary>
    public const int MinWeight = 1, MaxWeight = 1000;

    /// <summary>The longest lease or check duration.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(7);

    /// <summary>The shortest check interval.</summary>
    public static readonly TimeSpan MinCheckInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The most health checks on one instance.</summary>
    public const int MaxChecks = 16;

    /// <summary>The largest failure or success threshold.</summary>
    public const int MaxThreshold = 100;

    /// <summary>The largest request body the registry accepts, in bytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;
}
