using Switchboard.Instances;

namespace Switchboard.Registry.Catalog;

/// <summary>Whether a re-registration changes anything a reader can see.</summary>
internal static class RegistrationEquality
{
    public static bool SameRegistration(ServiceInstance a, ServiceInstance b)
        => a.ServiceName == b.ServiceName && a.Host == b.Host && a.Port == b.Port && a.Protocol == b.Protocol
            && a.Path == b.Path && a.Version == b.Version && a.Weight == b.Weight && a.Zone == b.Zone
            && a.Ttl == b.Ttl && SameChecks(WithoutMaintenance(a), b.Checks)
            && a.Tags.SequenceEqual(b.Tags, StringComparer.Ordinal)
            && SameMetadata(a.Metadata, b.Metadata);

    /// <summary>The instance's checks less its maintenance check, which a registration never carries and keeps (<see cref="ServiceCatalog.SetMaintenanceAsync"/>).</summary>
    private static IReadOnlyList<InstanceCheck> WithoutMaintenance(ServiceInstance instance)
        => instance.Checks.Count > 0 && instance.Checks[^1].CheckId == ServiceCatalog.MaintenanceCheckId(instance.InstanceId) ? [.. instance.Checks.Take(instance.Checks.Count - 1)] : instance.Checks;

    private static bool SameChecks(IReadOnlyList<InstanceCheck> a, IReadOnlyList<InstanceCheck> b)
    {
        if (a.Count != b.Count)
            return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].CheckId != b[i].CheckId || a[i].Spec with { InitialStatus = null } != b[i].Spec with { InitialStatus = null })
                return false;
        }
        return true;
    }

    private static bool SameMetadata(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count)
            return false;
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !string.Equals(value, other, StringComparison.Ordinal))
                return false;
        }
        return true;
    }
}
