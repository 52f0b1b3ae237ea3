using Polly;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.Discovery;
using Switchboard.Client.Endpoints;
using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Resilience;
using Switchboard.Registration;

namespace Switchboard.Client.Http;

/// <summary>
/// Resolves <c>http://service-name/path</c> to one instance chosen by the service's load-balancing policy, counts the
/// request in the instance's in-flight counter, feeds the outcome to the instance's circuit breaker (the same
/// breakers <see cref="Calls.IServiceClient"/> uses, so an instance failing here is ejected for every caller), and
/// restores <see cref="HttpRequestMessage.RequestUri"/> after the send so that an outer retry handler resolves (and
/// picks) again.
/// </summary>
internal sealed class SwitchboardDiscoveryHandler(
    IServiceDiscovery discovery,
    ServicePipelineProvider pipelines,
    CircuitBreakerRegistry breakers,
    ClientInstruments instruments) : DelegatingHandler
{
    /// <summary>The request option under which the chosen endpoint is stored for the duration of the send.</summary>
    public static readonly HttpRequestOptionsKey<InstanceEndpoint> EndpointKey = new("Switchboard.Endpoint");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        if (original is null || !original.IsAbsoluteUri || !ServiceNames.IsValid(original.Host))
            return await base.SendAsync(request, cancellationToken);

        var service = original.Host;
        var result = await discovery.ResolveAsync(service, cancellationToken);
        var pipeline = pipelines.Get(service);
        var (options, policy) = (pipeline.Options, pipeline.Policy);
        var endpoints = result.HealthyEndpoints.AsSpan();
        var panic = Candidates.Count(endpoints, out var allEjected) > 0 && allEjected;
        if (panic)
            instruments.Panic(service);
        var endpoint = policy.Pick(endpoints, result.LoadBalancing) ?? throw ServiceUnavailableException.NoHealthyInstance(service, result);
        var breaker = options.CircuitBreakerEnabled ? Admit(ref endpoint, result, service, options, panic) : null;

        request.RequestUri = Resolve(endpoint.BaseUri, original);
        request.Options.Set(EndpointKey, endpoint);
        using var inFlight = endpoint.BeginRequest();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            breaker?.Record(Outcome.FromResult(response), cancellationToken);
            return response;
        }
        catch (Exception ex)
        {
            breaker?.Record(Outcome.FromException<HttpResponseMessage>(ex), cancellationToken);
            throw;
        }
        finally
        {
            request.RequestUri = original;
        }
    }

    /// <summary>The instance's base URL (with its base path) joined with the request's path and query.</summary>
    internal static Uri Resolve(Uri baseUri, Uri original) => new(baseUri, original.PathAndQuery.TrimStart('/'));

    /// <summary>
    /// The breaker that lets this request through: the picked instance's, or when it refuses (a half-open instance
    /// already has its probe in flight) the first other healthy instance whose breaker admits it.
    /// </summary>
    private InstanceCircuitBreaker Admit(ref InstanceEndpoint endpoint, DiscoveryResult result, string service, EffectiveServiceOptions options, bool panic)
    {
        var breaker = breakers.Get(endpoint, service, options);
        if (breaker.TryAcquire(panic, out var retryAfter))
            return breaker;
        foreach (var other in result.HealthyEndpoints)
        {
            if (ReferenceEquals(other, endpoint))
                continue;
            var otherBreaker = breakers.Get(other, service, options);
            if (otherBreaker.TryAcquire(panic, out _))
            {
                endpoint = other;
                return otherBreaker;
            }
        }
        throw new CircuitOpenException($"The circuit of instance '{endpoint.InstanceId}' of service '{service}' is open for {retryAfter}, and no other instance is available.")
        {
            ServiceName = service,
            InstanceId = endpoint.InstanceId,
            RetryAfter = retryAfter,
        };
    }
}
