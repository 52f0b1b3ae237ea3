namespace Switchboard.Client.Calls;

/// <summary>The path of typed (Refit) clients: existing requests through the pipeline, with per-method caching.</summary>
internal sealed partial class ServiceClient
{
    /// <summary>
    /// Sends an existing request through the service's pipeline (used by typed Refit clients): each attempt sends a copy
    /// to the instance picked for it. Answers (any status) are returned; failures without an answer throw the typed exceptions.
    /// </summary>
    internal async Task<HttpResponseMessage> SendRequestAsync(string service, HttpRequestMessage request, bool allowRetry, CancellationToken ct, string? requestId = null)
    {
        var start = _time.GetTimestamp();
        using var activity = StartActivity(request.Method, service);
        var discovery = await _discovery.ResolveAsync(service, ct);
        var (pipeline, call) = BeginCall(service, discovery, request.Method, allowRetry, null);
        var content = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(ct);
        requestId ??= RequestIdOf(request);
        var headers = request.Headers.Where(h => !string.Equals(h.Key, SwitchboardHeaders.RequestId, StringComparison.OrdinalIgnoreCase)).ToArray();
        var attempt = new Attempt(this, call, _pool.Get(service, pipeline.Options.MaxConnectionsPerServer), request.Method, request.RequestUri!.PathAndQuery, content, request.Content?.Headers.ContentType, null, headers, requestId);
        var outcome = await AttemptsAsync(pipeline, call, attempt, ct);
        _instruments.CallDuration(service, _time.GetElapsedTime(start), outcome.Exception?.GetType().Name);
        if (outcome.Exception is { } exception)
        {
            ThrowIfCallerCancelled(exception, ct);
            throw Map(service, exception, call);
        }
        outcome.Result!.RequestMessage = request;
        return outcome.Result;
    }

    /// <summary>The request's own <c>X-Request-ID</c>, else the incoming request's, else a new one.</summary>
    private string RequestIdOf(HttpRequestMessage request) =>
        request.Headers.TryGetValues(SwitchboardHeaders.RequestId, out var ids) ? ids.First() : IncomingRequestId() ?? RequestIds.New();
}
