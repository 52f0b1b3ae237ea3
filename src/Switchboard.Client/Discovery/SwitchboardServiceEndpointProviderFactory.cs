using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.ServiceDiscovery;
using Switchboard.Registration;

namespace Switchboard.Client.Discovery;

/// <summary>
/// Makes Microsoft.Extensions.ServiceDiscovery resolve service names through Switchboard: <c>http://user-service</c>
/// in any <see cref="HttpClient"/> built with <c>AddServiceDiscovery()</c> gets the healthy instances from the
/// Switchboard endpoint cache, refreshed by push through a change token.
/// </summary>
internal sealed class SwitchboardServiceEndpointProviderFactory(IServiceDiscovery discovery) : IServiceEndpointProviderFactory
{
    public bool TryCreateProvider(ServiceEndpointQuery query, [NotNullWhen(true)] out IServiceEndpointProvider? provider)
    {
        if (!ServiceNames.IsValid(query.ServiceName))
        {
            provider = null;
            return false;
        }
        provider = new SwitchboardServiceEndpointProvider(query.ServiceName, discovery);
        return true;
    }
}
