using System.Globalization;
using Switchboard.Registration;

namespace Switchboard.Server.Eureka;

/// <summary>Turns a Eureka <c>instance</c> (JSON or XML) into a Switchboard registration; every refusal names the field as Eureka's body spells it.</summary>
/// <remarks>
/// <list type="bullet">
/// <item>Host: <c>ipAddr</c>, else <c>hostName</c>; port: <c>port</c> when enabled (http), else <c>securePort</c> when enabled (https).</item>
/// <item>Lease: <c>leaseInfo.durationInSecs</c> (Eureka's default 90 s) is the Switchboard lease; each renewal is a heartbeat.</item>
/// <item>Status: <c>UP</c> passing, any other critical (<see cref="EurekaStatus"/>); kept in metadata with the other Eureka fields (<see cref="EurekaMeta"/>).</item>
/// <item>No health check is registered for <c>healthCheckUrl</c>: Eureka never probes it (the instance's own status is its health), so it is kept as metadata only.</item>
/// </list>
/// </remarks>
internal static class EurekaRegistration
{
    /// <summary>Eureka's lease when the instance names none.</summary>
    public const int DefaultDurationSecs = 90;

    /// <summary>Eureka's renewal interval when the instance names none.</summary>
    public const int DefaultRenewalIntervalSecs = 30;

    /// <summary>The registration and the instance's own Eureka status.</summary>
    /// <param name="instance">The body's <c>instance</c>.</param>
    /// <param name="urlApp">The application named by the URL.</param>
    /// <exception cref="EurekaRequestException">A field is missing or invalid.</exception>
    public static (ServiceRegistration Registration, string Status) Build(EurekaNode instance, string urlApp)
    {
        var app = instance.String("app") ?? throw Missing("app");
        if (!EurekaNames.TryMap(app, out var serviceName, out var nameError))
            throw new EurekaRequestException("instance.app", $"instance.{nameError}");
        if (EurekaNames.Map(urlApp) != serviceName)
            throw new EurekaRequestException("instance.app", $"instance.app \"{app}\" does not match the application in the URL, \"{urlApp}\".");
        var hostName = instance.String("hostName") ?? throw Missing("hostName");
        var ipAddr = instance.String("ipAddr");
        var instanceId = instance.String("instanceId") ?? hostName;
        if (ServiceNames.ValidateInstanceId(instanceId) is { } idError)
            throw new EurekaRequestException("instance.instanceId", $"instance.instanceId (or hostName, when there is no instanceId) {idError}.");

        var statusText = instance.String("status");
        var status = statusText is null ? EurekaStatus.Up : EurekaStatus.Parse(statusText)
            ?? throw new EurekaRequestException("instance.status", $"instance.status \"{statusText}\" is not a Eureka status ({string.Join(", ", EurekaStatus.All)}).");

        var port = Port(instance, "port", enabledByDefault: true);
        var securePort = Port(instance, "securePort", enabledByDefault: false);
        var (switchboardPort, protocol) = port is { Enabled: true, Number: { } p } ? (p, "http")
            : securePort is { Enabled: true, Number: { } s } ? (s, "https")
            : throw new EurekaRequestException("instance.port", "instance.port is required: an enabled port or securePort (1 to 65535) callers reach the instance on.");

        var lease = instance.Child("leaseInfo");
        var duration = Seconds(lease, "durationInSecs") ?? DefaultDurationSecs;
        var renewal = Seconds(lease, "renewalIntervalInSecs") ?? DefaultRenewalIntervalSecs;
        if (duration < 1 || TimeSpan.FromSeconds(duration) > RegistrationLimits.MaxDuration)
            throw new EurekaRequestException("instance.leaseInfo.durationInSecs", $"instance.leaseInfo.durationInSecs must be 1 to {(int)RegistrationLimits.MaxDuration.TotalSeconds} seconds.");
        if (renewal < 1 || renewal > duration)
            throw new EurekaRequestException("instance.leaseInfo.renewalIntervalInSecs", "instance.leaseInfo.renewalIntervalInSecs must be 1 second to durationInSecs.");

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in instance.Child("metadata")?.Entries() ?? [])
        {
            if (key.StartsWith(EurekaMeta.Prefix, StringComparison.Ordinal))
                throw new EurekaRequestException($"instance.metadata.{key}", $"instance.metadata keys may not start with '{EurekaMeta.Prefix}': Switchboard keeps Eureka's own fields there.");
            metadata[key] = value ?? "";
        }
        metadata[EurekaMeta.App] = app;
        metadata[EurekaMeta.HostName] = hostName;
        metadata[EurekaMeta.Status] = status;
        metadata[EurekaMeta.RenewalInterval] = renewal.ToString(CultureInfo.InvariantCulture);
        Put(metadata, EurekaMeta.IpAddr, ipAddr);
        PutPort(metadata, EurekaMeta.Port, EurekaMeta.PortEnabled, port);
        PutPort(metadata, EurekaMeta.SecurePort, EurekaMeta.SecurePortEnabled, securePort);
        foreach (var (field, key) in Copied)
            Put(metadata, key, instance.String(field));
        Put(metadata, EurekaMeta.DataCenter, instance.Child("dataCenterInfo")?.String("name"));
        if (instance.String("countryId") is { } country)
        {
            if (!int.TryParse(country, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                throw new EurekaRequestException("instance.countryId", $"instance.countryId \"{country}\" is not an integer.");
            metadata[EurekaMeta.CountryId] = country;
        }

        var registration = new ServiceRegistration
        {
            ServiceName = serviceName,
            InstanceId = instanceId,
            Host = ipAddr ?? hostName,
            Port = switchboardPort,
            Protocol = protocol,
            Metadata = metadata,
            Ttl = TimeSpan.FromSeconds(duration),
        };
        return (registration, status);
    }

    // Eureka string fields kept as metadata as they are.
    private static readonly (string Field, string Key)[] Copied =
    [
        ("vipAddress", EurekaMeta.VipAddress),
        ("secureVipAddress", EurekaMeta.SecureVipAddress),
        ("homePageUrl", EurekaMeta.HomePageUrl),
        ("statusPageUrl", EurekaMeta.StatusPageUrl),
        ("healthCheckUrl", EurekaMeta.HealthCheckUrl),
        ("secureHealthCheckUrl", EurekaMeta.SecureHealthCheckUrl),
        ("lastDirtyTimestamp", EurekaMeta.LastDirtyTimestamp),
    ];

    /// <summary>The wire field of a validation error of the built registration (keys of <see cref="RegistrationValidator"/>).</summary>
    public static string FieldOf(string switchboardField, ServiceRegistration registration) => switchboardField switch
    {
        "service_name" => "instance.app",
        "instance_id" => "instance.instanceId",
        "host" => registration.Metadata!.ContainsKey(EurekaMeta.IpAddr) ? "instance.ipAddr" : "instance.hostName",
        "port" => "instance.port",
        "ttl" => "instance.leaseInfo.durationInSecs",
        _ when switchboardField.StartsWith("metadata", StringComparison.Ordinal) => "instance." + switchboardField,
        _ => "instance." + switchboardField,
    };

    private static EurekaRequestException Missing(string field) => new($"instance.{field}", $"instance.{field} is required.");

    private readonly record struct PortValue(int? Number, bool Enabled);

    private static PortValue? Port(EurekaNode instance, string field, bool enabledByDefault)
    {
        if (instance.Child(field) is not { } node)
            return null;
        var enabledText = node.Attribute("enabled")?.Trim();
        bool enabled;
        if (string.IsNullOrEmpty(enabledText))
            enabled = enabledByDefault;
        else if (!bool.TryParse(enabledText, out enabled))
            throw new EurekaRequestException($"instance.{field}.@enabled", $"instance.{field}.@enabled \"{enabledText}\" must be true or false.");
        var text = node.Text?.Trim();
        if (string.IsNullOrEmpty(text))
            return enabled ? throw new EurekaRequestException($"instance.{field}", $"instance.{field} has no number.") : new PortValue(null, false);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            // Eureka clients send a disabled port's placeholder (securePort 443, or 0); only an enabled port must be valid.
            if (!enabled && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                return new PortValue(null, false);
            throw new EurekaRequestException($"instance.{field}", $"instance.{field} \"{text}\" must be a port number, 1 to 65535.");
        }
        return new PortValue(number, enabled);
    }

    private static int? Seconds(EurekaNode? lease, string field)
    {
        if (lease?.String(field) is not { } text)
            return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new EurekaRequestException($"instance.leaseInfo.{field}", $"instance.leaseInfo.{field} \"{text}\" is not a whole number of seconds.");
    }

    private static void Put(Dictionary<string, string> metadata, string key, string? value)
    {
        if (value is not null)
            metadata[key] = value;
    }

    private static void PutPort(Dictionary<string, string> metadata, string key, string enabledKey, PortValue? port)
    {
        if (port is not { } value)
            return;
        if (value.Number is { } number)
            metadata[key] = number.ToString(CultureInfo.InvariantCulture);
        metadata[enabledKey] = value.Enabled ? "true" : "false";
    }
}
