using System.Runtime.CompilerServices;
using Switchboard.Instances;

namespace Switchboard.Registry.Catalog.Compaction;

/// <summary>
/// Makes an instance hold the shared copies (<see cref="SharedValues"/>) of what instances repeat: service name, protocol,
/// path, version, zone, tags, metadata. Applied where instances enter the catalog (registration, load, replication) and
/// where the embedded store reads them, so the catalog and the store hold the same objects.
/// </summary>
internal static class InstanceCompaction
{
    /// <summary><paramref name="instance"/> with shared values; the same object when it already holds them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    public static ServiceInstance Compact(ServiceInstance instance)
    {
        var serviceName = SharedValues.String(instance.ServiceName);
        var protocol = SharedValues.String(instance.Protocol);
        var path = SharedValues.String(instance.Path);
        var version = SharedValues.String(instance.Version);
        var zone = SharedValues.String(instance.Zone);
        var output = instance.Output is { Length: 0 } ? string.Empty : instance.Output;
        var tags = SharedValues.Tags(instance.Tags);
        var metadata = SharedValues.Metadata(instance.Metadata);
        if (ReferenceEquals(serviceName, instance.ServiceName) && ReferenceEquals(protocol, instance.Protocol) && ReferenceEquals(path, instance.Path)
            && ReferenceEquals(version, instance.Version) && ReferenceEquals(zone, instance.Zone) && ReferenceEquals(output, instance.Output)
            && ReferenceEquals(tags, instance.Tags) && ReferenceEquals(metadata, instance.Metadata))
            return instance;
        return instance with
        {
            ServiceName = serviceName,
            Protocol = protocol,
            Path = path,
            Version = version,
            Zone = zone,
            Output = output,
            Tags = tags,
            Metadata = metadata,
        };
    }
}
