using Polly;
using Switchboard.Client.Discovery;
using Switchboard.Client.Resilience;
using Switchboard.Registration;

namespace Switchboard.Client.Http;

/// <summary>
/// Resolves <c>http://service-name/path</c> to one instance for each send, through the same attempt as every other
/// Switchboard call (<see cref="InstanceAttemptStrategy"/>: the candidates of the attempt, the service's load-balancing
/// policy, the instance's circuit breaker, the attempt timeout, the in-flight count), and restores
/// <see cref="HttpRequestMessage.RequestUri"/> after the send. The call's state travels with the request
/// (<see cref="HttpRequestMessage.Options"/>), so an outer retry handler that sends the same request again (Microsoft's
/// standard resilience handler does) picks an instance the request has not tried yet, as <see cref="Calls.IServiceClient"/>'s
/// retry does. Retries, their backoff and the total timeout belong to that outer handler: this one makes one attempt
/// per send, except that an attempt refused by an open circuit (nothing sent) moves on to another instance at once.
/// </summary>
internal sealed class SwitchboardDiscoveryHandler(IServiceDiscovery discovery, ServicePipelineProvider pipelines, TimeProvider time) : DelegatingHandler
{
    /// <summary>The request option under which the call's state is kept across the sends of one request.</summary>
    internal static readonly HttpRequestOptionsKey<CallState> CallKey = new("Switchboard.Call");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var original = request.RequestUri;
        if (original is null || !original.IsAbsoluteUri || !ServiceNames.IsValid(original.Host))
            return await base.SendAsync(request, cancellationToken);

        var service = original.Host;
        var pipeline = pipelines.Get(service);
        if (!request.Options.TryGetValue(CallKey, out var call) || call.Service != service)
        {
            var result = await discovery.ResolveAsync(service, cancellationToken);
            call = new CallState(service, result, null, pipeline.Policy, pipeline.Options, retryAllowed: true, time);
            request.Options.Set(CallKey, call);
        }

        var send = (Handler: this, Request: request, Original: original, Call: call);
        Outcome<HttpResponseMessage> outcome;
        do
            outcome = await pipeline.Attempts.AttemptAsync(call, cancellationToken, static s => s.Handler.SendToEndpointAsync(s.Request, s.Original, s.Call), send);
        while (outcome.Exception is CircuitOpenException && call.HasUntried);

        if (outcome.Exception is { } exception)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception); // as the inner handler threw it; an attempt timeout is Polly's TimeoutRejectedException, which the standard resilience handler retries
        return outcome.Result!;
    }

    /// <summary>Sends <paramref name="request"/> to the instance the attempt picked, then puts its service URL back.</summary>
    private async ValueTask<Outcome<HttpResponseMessage>> SendToEndpointAsync(HttpRequestMessage request, Uri original, CallState call)
    {
        request.RequestUri = Resolve(call.Endpoint!.BaseUri, original);
        try
        {
            return Outcome.FromResult(await base.SendAsync(request, call.AttemptToken));
        }
        finally
        {
            request.RequestUri = original;
        }
    }

    /// <summary>The instance's base URL (with its base path) joined with the request's path and query.</summary>
    internal static Uri Resolve(Uri baseUri, Uri original) => new(baseUri, original.PathAndQuery.TrimStart('/'));
}
