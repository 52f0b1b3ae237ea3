using Microsoft.Extensions.ServiceDiscovery;

namespace Switchboard.Client.Discovery;

/// <summary>One service's endpoints for Microsoft.Extensions.ServiceDiscovery, from the Switchboard cache.</summary>
internal sealed class SwitchboardServiceEndpointProvider(string serviceName, IServiceDiscovery discovery) : IServiceEndpointProvider
{
    public async ValueTask PopulateAsync(IServiceEndpointBuilder endpoints, CancellationToken cancellationToken)
    {
        // The token is taken before the snapshot so that a change between the two is not missed.
        endpoints.AddChangeToken(discovery.GetChangeToken(serviceName));
        DiscoveryResult result;
        try
        {
            result = await discovery.ResolveAsync(serviceName, cancellationToken);
        }
        catch (ServiceNotFoundException)
        {
            return;
        }
        foreach (var endpoint in result.HealthyEndpoints)
            endpoints.Endpoints.Add(ServiceEndpoint.Create(new UriEndPoint(endpoint.BaseUri)));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public override string ToString() => $"Switchboard({serviceName})";
}
