using Switchboard.Registration;

namespace Switchboard.Client.SelfRegistration;

/// <summary>Builds the <see cref="ServiceRegistration"/> of this application from its options and bound address.</summary>
internal static class RegistrationFactory
{
    public static ServiceRegistration Create(SwitchboardOptions options, (string Protocol, string Host, int Port)? bound)
    {
        var r = options.Registration;
        HealthCheckSpec? check = null;
        if (r.HealthCheckPath is { Length: > 0 } path && r.HealthCheckInterval is { } interval)
            check = new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = path, Interval = interval };
        return new ServiceRegistration
        {
            ServiceName = r.ServiceName ?? options.ServiceName,
            InstanceId = string.IsNullOrEmpty(r.InstanceId) ? null : r.InstanceId,
            Host = string.IsNullOrEmpty(r.Host) ? bound?.Host : r.Host,
            Port = r.Port ?? bound?.Port,
            Protocol = r.Protocol ?? bound?.Protocol ?? "http",
            Path = string.IsNullOrEmpty(r.Path) ? null : r.Path,
            HealthCheckPath = check is null && r.HealthCheckPath is { Length: > 0 } ? r.HealthCheckPath : null,
            Check = check,
            Tags = r.Tags.Count > 0 ? [.. r.Tags] : null,
            Metadata = r.Metadata.Count > 0 ? new Dictionary<string, string>(r.Metadata, StringComparer.Ordinal) : null,
            Version = string.IsNullOrEmpty(r.Version) ? null : r.Version,
            Weight = r.Weight,
            Zone = string.IsNullOrEmpty(r.Zone) ? null : r.Zone,
            Ttl = r.Ttl,
        };
    }

    /// <summary>Checks the registration with the registry's own rules; returns null when valid, else every problem with its configuration key.</summary>
    public static string? Validate(ServiceRegistration registration)
    {
        var errors = RegistrationValidator.Validate(registration, null, out _);
        if (errors.Count == 0)
            return null;
        return string.Join(" ", errors.Select(e => $"{SwitchboardOptions.SectionName}:Registration:{ToKey(e.Key)}: {string.Join(" ", e.Value)}"));
    }

    private static string ToKey(string field) =>
        string.Concat(field.Split('_').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
}
