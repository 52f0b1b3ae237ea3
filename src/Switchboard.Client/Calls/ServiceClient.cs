using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Switchboard.Client.Caching;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.Discovery;
using Switchboard.Client.Internal;
using Switchboard.Client.Resilience;

namespace Switchboard.Client.Calls;

/// <summary>The <see cref="IServiceClient"/>: discovery, then the service's Polly pipeline around each attempt, then JSON.</summary>
internal sealed partial class ServiceClient : IServiceClient
{
    /// <summary>The activity source of service calls, named after the assembly.</summary>
    public static readonly ActivitySource ActivitySource = new(ClientInstruments.MeterName);

    private static readonly CallOptions DefaultOptions = new();
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly IServiceDiscovery _discovery;
    private readonly ServicePipelineProvider _pipelines;
    private readonly ServiceHttpClientPool _pool;
    private readonly ServiceResponseCache _cache;
    private readonly ServiceClientOptions _clientOptions;
    private readonly string? _callerName;
    private readonly TimeProvider _time;
    private readonly ClientInstruments _instruments;
    private readonly IIncomingRequestId? _incoming;
    private readonly ILogger<ServiceClient> _logger;

    public ServiceClient(
        IServiceDiscovery discovery,
        ServicePipelineProvider pipelines,
        ServiceHttpClientPool pool,
        ServiceResponseCache cache,
        IOptions<SwitchboardOptions> options,
        IOptions<ServiceClientOptions> clientOptions,
        TimeProvider time,
        ClientInstruments instruments,
        IServiceProvider services,
        ILogger<ServiceClient> logger)
    {
        _discovery = discovery;
        _pipelines = pipelines;
        _pool = pool;
        _cache = cache;
        _clientOptions = clientOptions.Value;
        _callerName = options.Value.ServiceName;
        _time = time;
        _instruments = instruments;
        _incoming = services.GetService<IIncomingRequestId>();
        _logger = logger;
    }

    public Task<ServiceResult<T>> SendAsync<T>(HttpMethod method, string serviceName, string path, object? body = null, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentNullException.ThrowIfNull(path);
        options ??= DefaultOptions;
        var requestId = options.RequestId ?? IncomingRequestId() ?? RequestIds.New();
        return options.Cache is { } cache && method == HttpMethod.Get
            ? CachedCallAsync<T>(serviceName, path, cache, options, requestId, cancellationToken)
            : CallAsync<T>(method, serviceName, path, body, options, requestId, notifyErrors: true, cancellationToken);
    }

    /// <summary>
    /// One call: discovery, the first attempt, the retry if it takes over, then the answer read as
    /// <typeparamref name="T"/>; failures are told to the error handlers when <paramref name="notifyErrors"/>. One async
    /// method from the caller's task to the attempt: every layer costs a suspension and a resumption per call
    /// (docs/benchmarks.md).
    /// </summary>
    private async Task<ServiceResult<T>> CallAsync<T>(HttpMethod method, string service, string path, object? body, CallOptions options, string requestId, bool notifyErrors, CancellationToken ct)
    {
        var start = _time.GetTimestamp();
        using var activity = StartActivity(method, service);
        activity?.SetTag("service.name", service);
        DiscoveryResult discovery;
        try
        {
            discovery = await _discovery.ResolveAsync(service, ct);
        }
        catch (ServiceUnavailableException ex)
        {
            return await FailedAsync(Fail<T>(service, ex, null, 0, null, start, requestId), method, path, notifyErrors, ct);
        }

        var (pipeline, call) = BeginCall(service, discovery, method, options.AllowRetry, options.Instances);
        var content = body is null ? null : JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), _clientOptions.JsonSerializerOptions);
        var attempt = new Attempt(this, call, _pool.Get(service, pipeline.Options.MaxConnectionsPerServer), method, path, content, JsonMediaType, options.Headers, null, requestId);
        var outcome = await AttemptsAsync(pipeline, call, attempt, ct);

        if (outcome.Exception is { } exception)
        {
            ThrowIfCallerCancelled(exception, ct);
            return await FailedAsync(Fail<T>(service, Map(service, exception, call), null, call.Attempts, call, start, requestId), method, path, notifyErrors, ct);
        }

        using var response = outcome.Result!;
        if (!response.IsSuccessStatusCode)
        {
            var excerpt = await ExcerptAsync(response, ct);
            var error = new ServiceCallException($"Service '{service}' answered {(int)response.StatusCode} {response.ReasonPhrase} ({call.Endpoint?.InstanceId}): {excerpt}")
            {
                ServiceName = service,
                StatusCode = response.StatusCode,
                ResponseExcerpt = excerpt,
            };
            return await FailedAsync(Fail<T>(service, error, response.StatusCode, call.Attempts, call, start, requestId), method, path, notifyErrors, ct);
        }

        try
        {
            var value = await ReadAsync<T>(response, ct);
            var duration = _time.GetElapsedTime(start);
            _instruments.CallDuration(service, duration, null);
            return new ServiceResult<T>
            {
                Success = true,
                Value = value,
                StatusCode = response.StatusCode,
                ServiceName = service,
                Attempts = call.Attempts,
                Panic = call.Panic,
                InstanceId = call.Endpoint?.InstanceId,
                InstanceUri = call.Endpoint?.BaseUri,
                Duration = duration,
                RequestId = requestId,
            };
        }
        catch (JsonException ex)
        {
            var excerpt = await ExcerptAsync(response, ct);
            var error = new ServiceCallException($"Service '{service}' answered {(int)response.StatusCode} but the body is not valid JSON for {typeof(T).Name} ({ex.Message}): {excerpt}", ex)
            {
                ServiceName = service,
                StatusCode = response.StatusCode,
                ResponseExcerpt = excerpt,
            };
            return await FailedAsync(Fail<T>(service, error, response.StatusCode, call.Attempts, call, start, requestId), method, path, notifyErrors, ct);
        }
    }

    /// <summary>The service's pipeline and the state of a new call to it, whose total timeout starts now.</summary>
    private (ServicePipeline Pipeline, CallState Call) BeginCall(string service, DiscoveryResult discovery, HttpMethod method, bool allowRetry, InstanceQuery? query)
    {
        var pipeline = _pipelines.Get(service);
        var retryAllowed = allowRetry || pipeline.Options.RetryNonIdempotent || IsIdempotent(method);
        return (pipeline, new CallState(service, discovery, query, pipeline.Policy, pipeline.Options, retryAllowed, _time));
    }

    /// <summary>
    /// The attempts of every call, whatever asked for it (<see cref="IServiceClient"/>, typed clients): the first attempt
    /// through the service's attempt strategy, then Polly's retry only if it takes over, then the picks counted.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<HttpResponseMessage>> AttemptsAsync(ServicePipeline pipeline, CallState call, Attempt attempt, CancellationToken ct)
    {
        var outcome = await pipeline.Attempts.AttemptAsync(call, ct, static a => a.SendAsync(), attempt);
        if (RetryTakesOver(pipeline, call, outcome, ct, out var retries))
            outcome = await RetryWithinTotalAsync(retries, call, attempt, outcome, ct);
        _instruments.Picks(call.Service, pipeline.Policy.Name, call.Attempts);
        return outcome;
    }

    /// <summary>A cancellation by the caller stays the caller's: rethrown where it was thrown, never turned into a failed result.</summary>
    private static void ThrowIfCallerCancelled(Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && ct.IsCancellationRequested)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
    }

    private ValueTask<ServiceResult<T>> FailedAsync<T>(ServiceResult<T> failed, HttpMethod method, string path, bool notifyErrors, CancellationToken ct) =>
        notifyErrors ? NotifiedAsync(failed, method, path, ct) : new(failed);

    /// <summary>Tells the error handlers about a failed call and returns it.</summary>
    private async ValueTask<ServiceResult<T>> NotifiedAsync<T>(ServiceResult<T> failed, HttpMethod method, string path, CancellationToken ct)
    {
        if (failed.Exception is { } failure)
            await NotifyErrorAsync(new ServiceCallError(failed.ServiceName, method.Method, path, failure, failed.StatusCode, failed.Attempts, failed.RequestId), ct);
        return failed;
    }

    /// <summary>
    /// Whether Polly's retry takes over after the first attempt: it failed in a way worth retrying, the method may be
    /// retried (or nothing was sent), the caller has not cancelled and the service allows more attempts (whether time is left is
    /// <see cref="RetryWithinTotalAsync"/>'s to decide). The first attempt runs through the
    /// service's attempt strategy directly, so that a call whose first attempt succeeds never pays for the retry's
    /// machinery (docs/benchmarks.md).
    /// </summary>
    private static bool RetryTakesOver(ServicePipeline pipeline, CallState call, Outcome<HttpResponseMessage> first, CancellationToken ct, [NotNullWhen(true)] out ResiliencePipeline<HttpResponseMessage>? retries)
    {
        retries = null;
        return call.MayRetryAfter(first) && !ct.IsCancellationRequested && FailureClassifier.IsTransient(first) && (retries = pipeline.Retries) is not null;
    }

    /// <summary>
    /// Hands the call to Polly's retry, which sees <paramref name="first"/> as its own first attempt and decides, waits
    /// and retries exactly as if it had made it, under the total timeout. The first attempt needed no total deadline
    /// of its own (its attempt timeout is never longer: options validation), so the total deadline is armed here, for
    /// what remains of it (<see cref="CallState.TimeLeft"/>).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Outcome<HttpResponseMessage>> RetryWithinTotalAsync(ResiliencePipeline<HttpResponseMessage> retries, CallState call, Attempt attempt, Outcome<HttpResponseMessage> first, CancellationToken ct)
    {
        var remaining = call.TimeLeft;
        if (remaining <= TimeSpan.Zero)
            return first;
        var total = CallDeadline.Start(remaining, _time, ct);
        var outcome = first;
        try
        {
            outcome = await RetryAsync(retries, call, attempt, first, total.Token);
        }
        finally
        {
            outcome = total.End(outcome, call.Options.TotalTimeout);
        }
        return outcome;
    }

    /// <summary>The retry pipeline from the second attempt on: the pooled Polly context carries the call's state and the total deadline's token.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<Outcome<HttpResponseMessage>> RetryAsync(ResiliencePipeline<HttpResponseMessage> retries, CallState call, Attempt attempt, Outcome<HttpResponseMessage> first, CancellationToken total)
    {
        var context = ResilienceContextPool.Shared.Get(total);
        try
        {
            context.Properties.Set(CallState.Key, call);
            call.ReplayFirst(first);
            return await retries.ExecuteOutcomeAsync(static (_, a) => a.SendAsync(), context, attempt);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
            // Polly answers a context cancelled before its first attempt without asking for it: nothing else owns that answer.
            call.TakeFirstOutcome()?.Result?.Dispose();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (typeof(T) == typeof(string))
            return (T)(object)await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
            return default;
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        return await JsonSerializer.DeserializeAsync<T>(stream, _clientOptions.JsonSerializerOptions, ct);
    }

    private ServiceResult<T> Fail<T>(string service, Exception error, HttpStatusCode? status, int attempts, CallState? call, long start, string requestId)
    {
        var duration = _time.GetElapsedTime(start);
        _instruments.CallDuration(service, duration, error.GetType().Name);
        LogCallFailed(_logger, service, attempts, error.Message);
        return new ServiceResult<T>
        {
            Success = false,
            Error = error.Message,
            Exception = error,
            StatusCode = status,
            ServiceName = service,
            Attempts = attempts,
            Panic = call?.Panic ?? false,
            InstanceId = call?.Endpoint?.InstanceId,
            InstanceUri = call?.Endpoint?.BaseUri,
            Duration = duration,
            RequestId = requestId,
        };
    }

    private static Exception Map(string service, Exception exception, CallState call) => exception switch
    {
        TimeoutRejectedException t => TimedOut(service, t, call, call.TotalTimedOut),
        ServiceUnavailableException or CircuitOpenException => exception,
        _ => new ServiceCallException($"Call to service '{service}' failed after {call.Attempts} attempt(s) (last instance {call.Endpoint?.InstanceId}): {TransportErrors.Describe(exception, call.Endpoint?.BaseUri)}", exception) { ServiceName = service },
    };

    /// <summary>The timeout a call ended on; <paramref name="total"/> read once, so the message and the timeout agree.</summary>
    private static ServiceTimeoutException TimedOut(string service, TimeoutRejectedException timeout, CallState call, bool total) => new(
        total
            ? $"Call to service '{service}' timed out after its total timeout of {call.Options.TotalTimeout} ({call.Attempts} attempt(s))."
            : $"Call to service '{service}' timed out: attempt {call.Attempts} exceeded the attempt timeout of {call.Options.AttemptTimeout}.",
        timeout)
    {
        ServiceName = service,
        Timeout = total ? call.Options.TotalTimeout : call.Options.AttemptTimeout,
    };

    private async ValueTask NotifyErrorAsync(ServiceCallError error, CancellationToken ct)
    {
        foreach (var handler in _clientOptions.ErrorHandlers)
        {
            try
            {
                await handler(error, ct);
            }
            catch (Exception ex)
            {
                LogErrorHandlerFailed(_logger, ex, error.ServiceName);
            }
        }
    }

    /// <summary>The call's activity, named <c>{METHOD} {service}</c>; the name is only built when someone listens.</summary>
    private static Activity? StartActivity(HttpMethod method, string service) =>
        ActivitySource.HasListeners() ? ActivitySource.StartActivity($"{method.Method} {service}", ActivityKind.Client) : null;

    private string? IncomingRequestId() => _incoming?.Current;

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put || method == HttpMethod.Delete || method == HttpMethod.Options || method == HttpMethod.Trace;

    private static async Task<string> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length <= 1000 ? text : text[..1000] + "...";
    }

    /// <summary>One call's attempt factory: builds and sends a fresh request to the instance the pipeline picked, bounded by <see cref="CallState.AttemptToken"/>.</summary>
    private sealed class Attempt(
        ServiceClient owner,
        CallState call,
        HttpMessageInvoker invoker,
        HttpMethod method,
        string path,
        byte[]? content,
        MediaTypeHeaderValue? contentType,
        IReadOnlyDictionary<string, string>? headers,
        KeyValuePair<string, IEnumerable<string>>[]? rawHeaders,
        string requestId)
    {
        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        public async ValueTask<Outcome<HttpResponseMessage>> SendAsync()
        {
            var endpoint = call.Endpoint!;
            var ct = call.AttemptToken;
            using var request = new HttpRequestMessage(method, endpoint.Resolve(path));
            if (content is not null)
                request.Content = new ByteArrayContent(content) { Headers = { ContentType = contentType } };
            if (rawHeaders is not null)
            {
                foreach (var (name, values) in rawHeaders)
                    request.Headers.TryAddWithoutValidation(name, values);
            }
            request.Headers.TryAddWithoutValidation(SwitchboardHeaders.RequestId, requestId);
            if (owner._callerName is { } caller)
                request.Headers.TryAddWithoutValidation(SwitchboardHeaders.ServiceName, caller);
            if (headers is not null)
            {
                foreach (var (name, value) in headers)
                    request.Headers.TryAddWithoutValidation(name, value);
            }
            try
            {
                var response = await invoker.SendAsync(request, ct);
                try
                {
                    await response.Content.LoadIntoBufferAsync(ct);
                }
                catch
                {
                    response.Dispose(); // the body broke off: the connection goes back to the pool (or is closed) now
                    throw;
                }
                owner._instruments.Attempt(call.Service, FailureClassifier.IsFailureStatus(response.StatusCode) ? "failure" : "success");
                return Outcome.FromResult(response);
            }
            catch (Exception ex)
            {
                owner._instruments.Attempt(call.Service, "error");
                return Outcome.FromException<HttpResponseMessage>(ex);
            }
        }
    }
}
