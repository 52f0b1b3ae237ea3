namespace Switchboard.Server.Eureka;

/// <summary>
/// The metadata keys that keep Eureka's own fields on a Switchboard instance, so that they round-trip (the
/// <c>eureka-</c> prefix is reserved: a Eureka client's metadata may not use it). The Eureka API shows them as the
/// fields they stand for and hides them from <c>metadata</c>; the native and Consul APIs show them as metadata.
/// </summary>
internal static class EurekaMeta
{
    public const string Prefix = "eureka-";
    public const string App = "eureka-app";
    public const string HostName = "eureka-host-name";
    public const string IpAddr = "eureka-ip-addr";
    public const string Status = "eureka-status";
    public const string Port = "eureka-port";
    public const string PortEnabled = "eureka-port-enabled";
    public const string SecurePort = "eureka-secure-port";
    public const string SecurePortEnabled = "eureka-secure-port-enabled";
    public const string VipAddress = "eureka-vip-address";
    public const string SecureVipAddress = "eureka-secure-vip-address";
    public const string HomePageUrl = "eureka-home-page-url";
    public const string StatusPageUrl = "eureka-status-page-url";
    public const string HealthCheckUrl = "eureka-health-check-url";
    public const string SecureHealthCheckUrl = "eureka-secure-health-check-url";
    public const string DataCenter = "eureka-data-center";
    public const string CountryId = "eureka-country-id";
    public const string RenewalInterval = "eureka-renewal-interval-secs";
    public const string LastDirtyTimestamp = "eureka-last-dirty-timestamp";

    /// <summary>The client's own metadata: every entry but the <c>eureka-</c> ones.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Visible(IReadOnlyDictionary<string, string> metadata)
        => metadata.Where(p => !p.Key.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(p => p.Key, StringComparer.Ordinal);

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public static string? Get(IReadOnlyDictionary<string, string> metadata, string key) => metadata.TryGetValue(key, out var value) ? value : null;
}
