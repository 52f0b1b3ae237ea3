using Switchboard.Instances;

namespace Switchboard.Registration;

/// <summary>Checks a <see cref="ServiceRegistration"/> and turns it into a normalized <see cref="ServiceInstance"/>.</summary>
/// <remarks>Errors are keyed by the snake_case field name used on the wire, as ProblemDetails shows them.</remarks>
public static class RegistrationValidator
{
    /// <summary>Validates <paramref name="registration"/>.</summary>
    /// <param name="registration">The request.</param>
    /// <param name="defaultTtl">The lease applied when the request names none; null for no lease.</param>
    /// <param name="instance">The normalized instance (status passing, no indexes or times yet) when valid.</param>
    /// <returns>The errors by field; empty when valid.</returns>
    public static Dictionary<string, string[]> Validate(ServiceRegistration registration, TimeSpan? defaultTtl, out ServiceInstance? instance)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors[field] = [message];

        if (ServiceNames.Validate(registration.ServiceName) is { } nameError)
            Fail("service_name", $"service_name {nameError}.");

        var host = registration.Host?.Trim();
        if (string.IsNullOrEmpty(host))
            Fail("host", "host is required.");
        else if (host.Length > RegistrationLimits.MaxHostLength || Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
            Fail("host", "host must be a valid host name or IP address.");
        else
            host = host.Trim('[', ']');

        if (registration.Port is null)
            Fail("port", "port is required.");
        else if (registration.Port is < 1 or > 65535)
            Fail("port", "port must be between 1 and 65535.");

        var protocol = string.IsNullOrEmpty(registration.Protocol) ? "http" : registration.Protocol.ToLowerInvariant();
        if (protocol is not ("http" or "https"))
            Fail("protocol", "protocol must be 'http' or 'https'.");

        var path = NormalizePath(registration.Path, "path", errors);
        var checkPath = NormalizePath(registration.HealthCheckPath, "health_check_path", errors);

        string? instanceId = registration.InstanceId;
        if (instanceId is not null && ServiceNames.ValidateInstanceId(instanceId) is { } idError)
            Fail("instance_id", $"instance_id {idError}.");

        var tags = ValidateTags(registration.Tags, errors);
        var metadata = ValidateMetadata(registration.Metadata, errors);
        CheckShort(registration.Version, "version", errors);
        CheckShort(registration.Zone, "zone", errors);

        if (registration.Weight is { } w && (w < RegistrationLimits.MinWeight || w > RegistrationLimits.MaxWeight))
            Fail("weight", $"weight must be between {RegistrationLimits.MinWeight} and {RegistrationLimits.MaxWeight}.");

        TimeSpan? ttl = defaultTtl;
        if (registration.Ttl is { } t)
        {
            if (t < TimeSpan.Zero)
                Fail("ttl", "ttl must not be negative.");
            else if (t > RegistrationLimits.MaxDuration)
                Fail("ttl", "ttl must be at most 7 days.");
            else if (t != TimeSpan.Zero && t < TimeSpan.FromSeconds(1))
                Fail("ttl", "ttl must be at least 1 second, or 0 for no lease.");
            ttl = t == TimeSpan.Zero ? null : t;
        }

        var specs = new List<(HealthCheckSpec Spec, string Field)>();
        if (registration.Check is { Kind: not HealthCheckKind.None } single)
            specs.Add((single, "check"));
        else if (registration.Check is null && checkPath.Length > 0)
            specs.Add((new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = checkPath }, "health_check_path"));
        if (registration.Checks is { } more)
        {
            if (more.Count + specs.Count > RegistrationLimits.MaxChecks)
                Fail("checks", $"an instance may have at most {RegistrationLimits.MaxChecks} checks.");
            else
                specs.AddRange(more.Select((c, i) => (c, $"checks[{i}]")));
        }
        foreach (var (spec, field) in specs)
        {
            if (spec is null)
                errors[field] = [$"{field} must be a check object, not null."]; // "checks":[null]: found by fuzzing
            else
                ValidateCheck(spec, field, errors);
        }

        if (errors.Count > 0)
        {
            instance = null;
            return errors;
        }

        var serviceName = registration.ServiceName!;
        var port = registration.Port!.Value;
        instance = new ServiceInstance
        {
            InstanceId = instanceId ?? ServiceNames.DefaultInstanceId(serviceName, host!, port),
            ServiceName = serviceName,
            Host = host!,
            Port = port,
            Protocol = protocol,
            Path = path,
            Tags = tags,
            Metadata = metadata,
            Version = VersionOf(registration.Version, metadata),
            Weight = registration.Weight ?? 1,
            Zone = registration.Zone ?? "",
            Ttl = ttl,
            Status = HealthStatus.Passing,
        };
        instance = instance with { Checks = BuildChecks(instance.InstanceId, specs.Select(s => s.Spec).ToList(), errors) };
        if (errors.Count > 0)
            instance = null;
        else
            instance = instance with { Status = ServiceInstance.Worst(instance.Checks) };
        return errors;
    }

    /// <summary>The key of the metadata entry read as the version when the registration names none (seed 001's body, Consul's <c>Meta</c>).</summary>
    public const string VersionMetadataKey = "version";

    /// <summary>The registration's version; when it names none, its <c>metadata.version</c>.</summary>
    private static string VersionOf(string? version, IReadOnlyDictionary<string, string> metadata)
        => !string.IsNullOrEmpty(version) ? version
            : metadata.TryGetValue(VersionMetadataKey, out var fromMetadata) && fromMetadata.Length <= RegistrationLimits.MaxShortStringLength && !fromMetadata.Any(char.IsControl) ? fromMetadata : "";

    private static string NormalizePath(string? path, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(path) || path == "/")
            return "";
        if (path.Length > RegistrationLimits.MaxPathLength)
            errors[field] = [$"{field} must be at most {RegistrationLimits.MaxPathLength} characters."];
        else if (path[0] != '/')
            errors[field] = [$"{field} must start with '/'."];
        else if (path.Any(c => char.IsControl(c) || c is ' ' or '?' or '#'))
            errors[field] = [$"{field} must not contain spaces, control characters, '?' or '#'."];
        return path.TrimEnd('/');
    }

    private static IReadOnlyList<string> ValidateTags(IReadOnlyList<string>? tags, Dictionary<string, string[]> errors)
    {
        if (tags is null || tags.Count == 0)
            return [];
        if (tags.Count > RegistrationLimits.MaxTags)
        {
            errors["tags"] = [$"tags must have at most {RegistrationLimits.MaxTags} entries."];
            return [];
        }
        foreach (var tag in tags)
        {
            if (string.IsNullOrEmpty(tag) || tag.Length > RegistrationLimits.MaxTagLength || tag.Any(char.IsControl))
            {
                errors["tags"] = [$"each tag must be 1 to {RegistrationLimits.MaxTagLength} printable characters."];
                return [];
            }
        }
        var set = new SortedSet<string>(tags, StringComparer.Ordinal);
        return [.. set];
    }

    private static IReadOnlyDictionary<string, string> ValidateMetadata(IReadOnlyDictionary<string, string>? metadata, Dictionary<string, string[]> errors)
    {
        if (metadata is null || metadata.Count == 0)
            return ServiceInstance.EmptyMetadata;
        if (metadata.Count > RegistrationLimits.MaxMetadataEntries)
        {
            errors["metadata"] = [$"metadata must have at most {RegistrationLimits.MaxMetadataEntries} entries."];
            return ServiceInstance.EmptyMetadata;
        }
        foreach (var (key, value) in metadata)
        {
            if (string.IsNullOrEmpty(key) || key.Length > RegistrationLimits.MaxMetadataKeyLength
                || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                errors["metadata"] = [$"metadata keys must be 1 to {RegistrationLimits.MaxMetadataKeyLength} letters, digits, '-', '_' or '.'."];
                return ServiceInstance.EmptyMetadata;
            }
            if (value is null || value.Length > RegistrationLimits.MaxMetadataValueLength)
            {
                errors[$"metadata.{key}"] = [$"metadata values must be strings of at most {RegistrationLimits.MaxMetadataValueLength} characters."];
                return ServiceInstance.EmptyMetadata;
            }
        }
        return new Dictionary<string, string>(metadata, StringComparer.Ordinal);
    }

    private static void CheckShort(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is not null && (value.Length > RegistrationLimits.MaxShortStringLength || value.Any(char.IsControl)))
            errors[field] = [$"{field} must be at most {RegistrationLimits.MaxShortStringLength} printable characters."];
    }

    private static IReadOnlyList<InstanceCheck> BuildChecks(string instanceId, List<HealthCheckSpec> specs, Dictionary<string, string[]> errors)
    {
        if (specs.Count == 0)
            return [];
        var checks = new List<InstanceCheck>(specs.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            var id = spec.Id ?? (specs.Count == 1 ? $"service:{instanceId}" : $"service:{instanceId}:{i + 1}");
            if (!ids.Add(id))
            {
                errors["checks"] = [$"check ids must be unique; '{id}' appears twice."];
                return [];
            }
            checks.Add(new InstanceCheck(id, spec with { Id = id }, spec.InitialStatus ?? HealthStatus.Passing, ""));
        }
        return checks;
    }

    private static void ValidateCheck(HealthCheckSpec check, string prefix, Dictionary<string, string[]> errors)
    {
        void Duration(TimeSpan? value, string field, TimeSpan min)
        {
            if (value is { } v && (v < min || v > RegistrationLimits.MaxDuration))
                errors[$"{prefix}.{field}"] = [$"{prefix}.{field} must be between {min.TotalMilliseconds} ms and 7 days."];
        }

        switch (check.Kind)
        {
            case HealthCheckKind.Http:
                if (string.IsNullOrWhiteSpace(check.Http))
                    errors[$"{prefix}.http"] = [$"{prefix}.http is required for an HTTP check (a path such as /health or an absolute URL)."];
                else if (check.Http[0] != '/' && !(Uri.TryCreate(check.Http, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"))
                    errors[$"{prefix}.http"] = [$"{prefix}.http must be a path starting with '/' or an absolute http(s) URL."];
                break;
            case HealthCheckKind.Tcp:
                if (!string.IsNullOrEmpty(check.Tcp) && !TryParseHostPort(check.Tcp, out _, out _))
                    errors[$"{prefix}.tcp"] = [$"{prefix}.tcp must be host:port."];
                break;
            case HealthCheckKind.Ttl:
                if (check.Ttl is null)
                    errors[$"{prefix}.ttl"] = [$"{prefix}.ttl is required for a TTL check."];
                break;
            case HealthCheckKind.None:
                errors[$"{prefix}.kind"] = [$"{prefix}.kind must be http, tcp or ttl."];
                break;
        }
        if (check.Id is not null && (check.Id.Length is 0 or > RegistrationLimits.MaxInstanceIdLength || check.Id.Any(char.IsControl) || check.Id.Contains('/', StringComparison.Ordinal)))
            errors[$"{prefix}.id"] = [$"{prefix}.id must be 1 to {RegistrationLimits.MaxInstanceIdLength} printable characters without '/'."];
        else if (check.Id is not null && ServiceNames.IsDotSegment(check.Id))
            errors[$"{prefix}.id"] = [$"{prefix}.id must not be '.' or '..' (a URL cannot carry them back)."];
        else if (check.Id is not null && check.Id.StartsWith(RegistrationLimits.ReservedCheckIdPrefix, StringComparison.Ordinal))
            errors[$"{prefix}.id"] = [$"{prefix}.id must not start with '{RegistrationLimits.ReservedCheckIdPrefix}': that prefix is the registry's maintenance-mode check."];
        if (check.Name is { Length: > RegistrationLimits.MaxTagLength })
            errors[$"{prefix}.name"] = [$"{prefix}.name must be at most {RegistrationLimits.MaxTagLength} characters."];
        Duration(check.Interval, "interval", RegistrationLimits.MinCheckInterval);
        Duration(check.Timeout, "timeout", TimeSpan.FromMilliseconds(10));
        Duration(check.Ttl, "ttl", TimeSpan.FromSeconds(1));
        Duration(check.DeregisterCriticalAfter, "deregister_critical_after", TimeSpan.FromSeconds(1));
        if (check.FailuresBeforeCritical is < 1 or > RegistrationLimits.MaxThreshold)
            errors[$"{prefix}.failures_before_critical"] = [$"{prefix}.failures_before_critical must be between 1 and {RegistrationLimits.MaxThreshold}."];
        if (check.SuccessesBeforePassing is < 1 or > RegistrationLimits.MaxThreshold)
            errors[$"{prefix}.successes_before_passing"] = [$"{prefix}.successes_before_passing must be between 1 and {RegistrationLimits.MaxThreshold}."];
    }

    /// <summary>Splits <c>host:port</c> (IPv6 in brackets).</summary>
    public static bool TryParseHostPort(string value, out string host, out int port)
    {
        host = "";
        port = 0;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(value.AsSpan(colon + 1), out port) || port is < 1 or > 65535)
            return false;
        host = value[..colon].Trim('[', ']');
        return Uri.CheckHostName(host) != UriHostNameType.Unknown;
    }
}
