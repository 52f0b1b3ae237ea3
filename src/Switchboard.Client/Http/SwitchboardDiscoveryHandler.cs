using Microsoft.Extensions.Options;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.Discovery;
using Switchboard.Client.Endpoints;
using Switchboard.Client.LoadBalancing;
using Switchboard.Registration;

namespace Switchboard.Client.Http;

/// <summary>
/// Resolves <c>http://service-name/path</c> to one instance chosen by the service's load-balancing policy, counts the
/// request in the instance's in-flight counter, and restores <see cref="HttpRequestMessage.RequestUri"/> after the send so
/// that an outer retry handler resolves (and picks) again.
/// </summary>
internal sealed class SwitchboardDiscoveryHandler(
    IServiceDiscovery discovery,
    LoadBalancingPolicyProvider policies,
    IOptions<SwitchboardOptions> options,
    ClientInstruments instruments) : DelegatingHandler
{
    /// <summary>The request option under which the chosen endpoint is stored for the duration of the send.</summary>
    public static readonly HttpRequestOptionsKey<InstanceEndpoint> EndpointKey = new("Switchboard.Endpoint");

    private readonly ILoadBalancingPolicy _defaultPolicy = policies.Get(options.Value.LoadBalancingPolicy);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        if (original is null || !original.IsAbsoluteUri || !ServiceNames.IsValid(original.Host))
            return await base.SendAsync(request, cancellationToken);

        var service = original.Host;
        var result = await discovery.ResolveAsync(service, cancellationToken);
        var endpoints = result.HealthyEndpoints.AsSpan();
        if (Candidates.Count(endpoints, out var panic) > 0 && panic)
            instruments.Panic(service);
        var endpoint = _defaultPolicy.Pick(endpoints, result.LoadBalancing)
            ?? throw new ServiceUnavailableException($"Service '{service}' has no healthy instance ({result.Endpoints.Length} known, from {result.Source}).")
            {
                ServiceName = service,
                SourcesTried = result.SourcesTried,
            };

        request.RequestUri = Resolve(endpoint.BaseUri, original);
        request.Options.Set(EndpointKey, endpoint);
        using var inFlight = endpoint.BeginRequest();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            request.RequestUri = original;
        }
    }

    /// <summary>The instance's base URL (with its base path) joined with the request's path and query.</summary>
    internal static Uri Resolve(Uri baseUri, Uri original) => new(baseUri, original.PathAndQuery.TrimStart('/'));
}
