using Switchboard.Instances;

namespace Switchboard.Client.Discovery;

/// <summary>Looks a service up in DNS.</summary>
internal interface IDnsServiceResolver
{
    /// <summary>Returns the instances DNS has for <paramref name="serviceName"/>; empty when the name does not resolve.</summary>
    /// <returns>The instances and a description of the query made.</returns>
    Task<(IReadOnlyList<ServiceInstance> Instances, string Query)> ResolveAsync(string serviceName, CancellationToken cancellationToken);
}
