using Switchboard.Instances;

namespace Switchboard.Client.RegistryApi;

/// <summary>A service's instances as one registry reported them.</summary>
/// <param name="Instances">The instances, every status.</param>
/// <param name="Index">The service's index (the <c>X-Switchboard-Index</c> header).</param>
/// <param name="Registry">The registry that answered.</param>
public sealed record InstancesResult(IReadOnlyList<ServiceInstance> Instances, long Index, Uri Registry);
