using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Server.Consul;

/// <summary>Turns a Consul service registration into a Switchboard <see cref="ServiceRegistration"/>, checking what Consul checks and answering in its words.</summary>
internal static class ConsulRegistration
{
    /// <summary>Consul's shortest check interval: shorter ones are raised to it.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    /// <summary>Consul's shortest <c>DeregisterCriticalServiceAfter</c>: shorter ones are raised to it.</summary>
    public static readonly TimeSpan MinDeregisterAfter = TimeSpan.FromMinutes(1);

    /// <summary>Consul's probe timeout when a check names none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Builds the registration; false with Consul-style 400 text when the request is invalid.</summary>
    /// <param name="request">The parsed body.</param>
    /// <param name="node">The node, whose address a service without one gets.</param>
    /// <param name="registration">The registration, still to be checked by <see cref="RegistrationValidator"/>.</param>
    /// <param name="error">The 400 text.</param>
    /// <param name="adjustments">Settings raised to Consul's minimums, to log as Consul does.</param>
    public static bool TryBuild(ConsulServiceRequest request, ConsulNodeInfo node, out ServiceRegistration? registration, out string error, List<string> adjustments)
    {
        registration = null;
        error = Check(request) ?? "";
        if (error.Length > 0)
            return false;
        if (!ConsulNames.TryMap(request.Name!, out var serviceName, out error))
            return false;
        if (request.Port is not (>= 1 and <= 65535))
        {
            error = $"Invalid service port {request.Port ?? 0}: Switchboard needs the Port (1 to 65535) callers reach the service on";
            return false;
        }

        var metadata = new Dictionary<string, string>(request.Meta ?? [], StringComparer.Ordinal);
        if (request.EnableTagOverride)
            metadata[ConsulMeta.EnableTagOverride] = "true";
        if (request.WeightWarning is { } warning && warning != 1)
            metadata[ConsulMeta.WarningWeight] = warning.ToString(System.Globalization.CultureInfo.InvariantCulture);

        registration = new ServiceRegistration
        {
            ServiceName = serviceName,
            InstanceId = string.IsNullOrEmpty(request.Id) ? request.Name!.Trim() : request.Id,
            Host = string.IsNullOrEmpty(request.Address) ? node.Address : request.Address,
            Port = (int)request.Port,
            Tags = request.Tags,
            Metadata = metadata,
            Weight = request.WeightPassing is { } passing ? (int)Math.Min(passing, int.MaxValue) : null,
            Ttl = TimeSpan.Zero, // Consul registrations have no lease: they stay until deregistered or reaped
            Check = request.Check is { } check ? Spec(check, serviceName, adjustments) : null,
            Checks = [.. request.Checks.Select(c => Spec(c, serviceName, adjustments))],
        };
        return true;
    }

    /// <summary>Consul's own checks of a registration, in its order and words; null when it passes them.</summary>
    private static string? Check(ConsulServiceRequest request)
    {
        if (string.IsNullOrEmpty(request.Name))
            return "Missing service name";
        if (request.Address is "0.0.0.0" or "::" or "[::]")
            return "Invalid service address";
        if (request.WeightPassing is < 1)
            return "Invalid Weights: Passing must be greater than 0";
        if (request.WeightWarning is < 0)
            return "Invalid Weights: Warning must be greater or equal than 0";
        if (request.WeightPassing is > 65535 || request.WeightWarning is > 65535)
            return "Invalid Weights: DNS Weight must be between 0 and 65535";
        if (request.Meta is { } meta && ConsulMeta.Validate(meta) is { } metaError)
            return $"Invalid Service Meta: {metaError}";
        if (!string.IsNullOrEmpty(request.Kind))
            return $"Invalid service kind \"{request.Kind}\": Switchboard has no service mesh, so only typical services (no Kind) can be registered";
        if (request.HasSidecar)
            return "Invalid SidecarService: Switchboard has no service mesh";
        foreach (var check in request.Check is null ? request.Checks : [request.Check, .. request.Checks])
        {
            if (CheckError(check) is { } checkError)
                return $"Invalid check: {checkError}";
        }
        foreach (var check in request.Check is null ? request.Checks : [request.Check, .. request.Checks])
        {
            if (check.Status is { Length: > 0 } status && status is not (HealthStatusNames.Passing or HealthStatusNames.Warning or HealthStatusNames.Critical))
                return "Status for checks must 'passing', 'warning', 'critical'";
        }
        return null;
    }

    /// <summary>Consul's <c>CheckType.Validate</c>, then what Switchboard's probes cannot do.</summary>
    private static string? CheckError(ConsulCheckRequest check)
    {
        var interval = check.Interval is { } i && i > TimeSpan.Zero;
        var ttl = check.Ttl is { } t && t > TimeSpan.Zero;
        var alias = check.UnsupportedKind is "AliasService" or "AliasNode";
        if (interval && ttl)
            return "Interval and TTL cannot both be specified";
        if (check.IsIntervalCheck && !interval)
            return "Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or OSService checks";
        if (!check.IsIntervalCheck && !alias && !ttl)
            return "TTL must be > 0 for TTL checks";
        if (check.UnsupportedKind is { } kind)
            return $"Switchboard runs HTTP, TCP and TTL checks only; a check with {kind} is not supported";
        if (check.Method is { Length: > 0 } method && !method.Equals("GET", StringComparison.OrdinalIgnoreCase))
            return $"Switchboard's HTTP checks send GET; Method \"{method}\" is not supported";
        if (!string.IsNullOrEmpty(check.Body))
            return "Switchboard's HTTP checks send no body; Body is not supported";
        if (check.HasHeader)
            return "Switchboard's HTTP checks send no custom headers; Header is not supported";
        if (check.TlsSkipVerify || !string.IsNullOrEmpty(check.TlsServerName))
            return "Switchboard's HTTP checks verify certificates against the URL's host; TLSSkipVerify and TLSServerName are not supported";
        return null;
    }

    private static HealthCheckSpec Spec(ConsulCheckRequest check, string serviceName, List<string> adjustments)
    {
        var kind = !string.IsNullOrEmpty(check.Http) ? HealthCheckKind.Http
            : !string.IsNullOrEmpty(check.Tcp) ? HealthCheckKind.Tcp
            : HealthCheckKind.Ttl;
        var active = kind != HealthCheckKind.Ttl;
        var interval = active ? check.Interval : null;
        var label = check.CheckId ?? check.Name ?? serviceName;
        if (interval < MinInterval)
        {
            adjustments.Add($"check {label}: interval {Json.Durations.Format(interval.Value)} is below Consul's minimum, using {Json.Durations.Format(MinInterval)}");
            interval = MinInterval;
        }
        var deregister = check.DeregisterCriticalServiceAfter is { } d && d > TimeSpan.Zero ? d : (TimeSpan?)null;
        if (deregister < MinDeregisterAfter)
        {
            adjustments.Add($"check {label}: DeregisterCriticalServiceAfter {Json.Durations.Format(deregister.Value)} is below Consul's minimum, using {Json.Durations.Format(MinDeregisterAfter)}");
            deregister = MinDeregisterAfter;
        }
        return new HealthCheckSpec
        {
            Id = string.IsNullOrEmpty(check.CheckId) ? null : check.CheckId,
            Name = string.IsNullOrEmpty(check.Name) ? $"Service '{serviceName}' check" : check.Name,
            InitialStatus = HealthStatusNames.TryParse(check.Status, out var status) ? status : HealthStatus.Critical, // Consul: checks start critical
            Kind = kind,
            Http = kind == HealthCheckKind.Http ? check.Http : null,
            Tcp = kind == HealthCheckKind.Tcp ? check.Tcp : null,
            Interval = interval,
            Timeout = active ? (check.Timeout is { } timeout && timeout > TimeSpan.Zero ? timeout : DefaultTimeout) : null,
            Ttl = kind == HealthCheckKind.Ttl ? check.Ttl : null,
            FailuresBeforeCritical = check.FailuresBeforeCritical > 0 ? (int)Math.Min(check.FailuresBeforeCritical.Value, int.MaxValue) : null,
            SuccessesBeforePassing = check.SuccessBeforePassing > 0 ? (int)Math.Min(check.SuccessBeforePassing.Value, int.MaxValue) : null,
            DeregisterCriticalAfter = deregister,
        };
    }
}
