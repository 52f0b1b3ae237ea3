using System.Runtime.ExceptionServices;
using Switchboard.Client.Caching;
using Switchboard.Client.Discovery;
using Switchboard.Client.Resilience;

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
        var pipeline = _pipelines.Get(service);
        var serviceOptions = pipeline.Options;
        var retryAllowed = allowRetry || serviceOptions.RetryNonIdempotent || IsIdempotent(request.Method);
        var call = new CallState(service, discovery, null, pipeline.Policy, serviceOptions, retryAllowed, start);
        var content = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(ct);
        requestId ??= RequestIdOf(request);
        var headers = request.Headers.Where(h => !string.Equals(h.Key, SwitchboardHeaders.RequestId, StringComparison.OrdinalIgnoreCase)).ToArray();
        var attempt = new Attempt(this, call, _pool.Get(service, serviceOptions.MaxConnectionsPerServer), request.Method, request.RequestUri!.PathAndQuery, content, request.Content?.Headers.ContentType, null, headers, requestId);

        var attemptsStart = _time.GetTimestamp();
        var outcome = await pipeline.Attempts.AttemptAsync(call, ct, static a => a.SendAsync(), attempt);
        if (RetryTakesOver(pipeline, call, outcome, ct, out var retries))
            outcome = await RetryWithinTotalAsync(retries, call, attempt, outcome, attemptsStart, ct);
        _instruments.Picks(service, pipeline.Policy.Name, call.Attempts);
        _instruments.CallDuration(service, _time.GetElapsedTime(start), outcome.Exception?.GetType().Name);
        if (outcome.Exception is { } exception)
        {
            if (exception is OperationCanceledException && ct.IsCancellationRequested)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception); // keeps where it was thrown
            throw Map(service, exception, call, start);
        }
        outcome.Result!.RequestMessage = request;
        return outcome.Result;
    }

    /// <summary>
    /// <see cref="SendRequestAsync"/> behind the response cache: a fresh cached 2xx answer is replayed without a call,
    /// a 2xx answer is stored, and when the call fails (no answer, or a 5xx/408/429) the last answer is replayed if
    /// <see cref="CacheOptions.CacheOnError"/> allows. Replayed answers carry <c>X-Switchboard-Cache: hit</c> or <c>stale</c>.
    /// </summary>
    internal async Task<HttpResponseMessage> SendCachedRequestAsync(string service, HttpRequestMessage request, bool allowRetry, CacheOptions cache, CancellationToken ct)
    {
        var requestId = RequestIdOf(request);
        HttpResponseMessage? answer = null;
        var result = await CachedAsync(service, CacheKey(service, request.RequestUri!.PathAndQuery, cache), cache, requestId, async () =>
        {
            try
            {
                answer = await SendRequestAsync(service, request, allowRetry, ct, requestId);
            }
            catch (Exception ex) when (ex is ServiceUnavailableException or CircuitOpenException or ServiceTimeoutException or ServiceCallException)
            {
                return new ServiceResult<CachedHttpAnswer> { Success = false, Error = ex.Message, Exception = ex, ServiceName = service, RequestId = requestId };
            }
            if (!answer.IsSuccessStatusCode)
                return new ServiceResult<CachedHttpAnswer> { Success = false, StatusCode = answer.StatusCode, ServiceName = service, RequestId = requestId };
            var stored = new CachedHttpAnswer((int)answer.StatusCode, await answer.Content.ReadAsByteArrayAsync(ct), answer.Content.Headers.ContentType?.ToString());
            return new ServiceResult<CachedHttpAnswer> { Success = true, Value = stored, StatusCode = answer.StatusCode, ServiceName = service, RequestId = requestId };
        }, ct);

        if (result.FromCache)
        {
            answer?.Dispose();
            return result.Value!.ToResponse(request, result.Degraded ? CachedHttpAnswer.Stale : CachedHttpAnswer.Hit);
        }
        if (answer is not null)
            return answer;
        ExceptionDispatchInfo.Throw(result.Exception!);
        return null;
    }

    /// <summary>The request's own <c>X-Request-ID</c>, else the incoming request's, else a new one.</summary>
    private string RequestIdOf(HttpRequestMessage request) =>
        request.Headers.TryGetValues(SwitchboardHeaders.RequestId, out var ids) ? ids.First() : IncomingRequestId() ?? RequestIds.New();
}
