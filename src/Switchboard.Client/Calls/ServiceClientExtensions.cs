namespace Switchboard.Client.Calls;

/// <summary>The HTTP verbs, throwing variants, fallbacks and batches over <see cref="IServiceClient"/>.</summary>
public static class ServiceClientExtensions
{
    /// <summary>GET <paramref name="path"/> of <paramref name="serviceName"/>.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="serviceName">The service.</param>
    /// <param name="path">The path and query.</param>
    /// <param name="options">Per-call settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public static Task<ServiceResult<T>> GetAsync<T>(this IServiceClient client, string serviceName, string path, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Send<T>(client, HttpMethod.Get, serviceName, path, null, options, cancellationToken);

    /// <summary>POST <paramref name="body"/> as JSON (not retried unless <see cref="CallOptions.AllowRetry"/>).</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="serviceName">The service.</param>
    /// <param name="path">The path and query.</param>
    /// <param name="body">The body.</param>
    /// <param name="options">Per-call settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public static Task<ServiceResult<T>> PostAsync<T>(this IServiceClient client, string serviceName, string path, object? body, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Send<T>(client, HttpMethod.Post, serviceName, path, body, options, cancellationToken);

    /// <summary>PUT <paramref name="body"/> as JSON.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="serviceName">The service.</param>
    /// <param name="path">The path and query.</param>
    /// <param name="body">The body.</param>
    /// <param name="options">Per-call settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public static Task<ServiceResult<T>> PutAsync<T>(this IServiceClient client, string serviceName, string path, object? body, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Send<T>(client, HttpMethod.Put, serviceName, path, body, options, cancellationToken);

    /// <summary>DELETE <paramref name="path"/>.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="serviceName">The service.</param>
    /// <param name="path">The path and query.</param>
    /// <param name="options">Per-call settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The result.</returns>
    public static Task<ServiceResult<T>> DeleteAsync<T>(this IServiceClient client, string serviceName, string path, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        Send<T>(client, HttpMethod.Delete, serviceName, path, null, options, cancellationToken);

    /// <summary>GET, returning the value or throwing the typed exception of the failure.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="serviceName">The service.</param>
    /// <param name="path">The path and query.</param>
    /// <param name="options">Per-call settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value.</returns>
    public static async Task<T> GetOrThrowAsync<T>(this IServiceClient client, string serviceName, string path, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        (await client.GetAsync<T>(serviceName, path, options, cancellationToken)).EnsureSuccess();

    /// <summary>POST, returning the value or throwing the typed exception of the failure.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="serviceName">The service.</param>
    /// <param name="path">The path and query.</param>
    /// <param name="body">The body.</param>
    /// <param name="options">Per-call settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The value.</returns>
    public static async Task<T> PostOrThrowAsync<T>(this IServiceClient client, string serviceName, string path, object? body, CallOptions? options = null, CancellationToken cancellationToken = default) =>
        (await client.PostAsync<T>(serviceName, path, body, options, cancellationToken)).EnsureSuccess();

    /// <summary>
    /// Calls <paramref name="primaryService"/>, and when that fails (no instance, open circuits, timeouts, 5xx) calls
    /// <paramref name="fallbackService"/> (seed 001 <c>call_service_with_fallback</c>). The result says which answered.
    /// </summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="primaryService">The service tried first.</param>
    /// <param name="fallbackService">The service tried when the first fails.</param>
    /// <param name="path">The path and query.</param>
    /// <param name="body">The body.</param>
    /// <param name="options">Per-call settings.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The primary's result when it succeeded or failed with a client error (4xx), else the fallback's.</returns>
    public static async Task<ServiceResult<T>> SendWithFallbackAsync<T>(this IServiceClient client, HttpMethod method, string primaryService, string fallbackService, string path, object? body = null, CallOptions? options = null, CancellationToken cancellationToken = default)
    {
        var primary = await Client(client).SendAsync<T>(method, primaryService, path, body, options, cancellationToken);
        if (primary.Success || IsClientError(primary))
            return primary;
        var fallback = await client.SendAsync<T>(method, fallbackService, path, body, options, cancellationToken);
        return fallback with { FallbackUsed = true, Attempts = primary.Attempts + fallback.Attempts };
    }

    /// <summary>
    /// Calls the instances of <paramref name="serviceName"/> with version <paramref name="version"/>, and when that fails
    /// the instances with <paramref name="fallbackVersion"/> (seed 003's versioned fallback, a gradual migration).
    /// </summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="serviceName">The service.</param>
    /// <param name="path">The path and query.</param>
    /// <param name="version">The version tried first.</param>
    /// <param name="fallbackVersion">The version tried when the first fails.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The first version's result, else the fallback version's (marked <see cref="ServiceResult{T}.FallbackUsed"/>).</returns>
    public static async Task<ServiceResult<T>> GetWithVersionFallbackAsync<T>(this IServiceClient client, string serviceName, string path, string version, string fallbackVersion, CancellationToken cancellationToken = default)
    {
        var primary = await Client(client).GetAsync<T>(serviceName, path, new CallOptions { Instances = new() { Version = version } }, cancellationToken);
        if (primary.Success || IsClientError(primary))
            return primary;
        var fallback = await client.GetAsync<T>(serviceName, path, new CallOptions { Instances = new() { Version = fallbackVersion } }, cancellationToken);
        return fallback with { FallbackUsed = true, Attempts = primary.Attempts + fallback.Attempts };
    }

    /// <summary>Graceful degradation (seed 000): when <paramref name="call"/> fails, a successful result carrying <paramref name="fallbackValue"/>, marked <see cref="ServiceResult{T}.Degraded"/>.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <param name="call">The call.</param>
    /// <param name="fallbackValue">The value to use when it fails.</param>
    /// <returns>The call's result, or the degraded one.</returns>
    public static async Task<ServiceResult<T>> OrFallbackValue<T>(this Task<ServiceResult<T>> call, T fallbackValue)
    {
        ArgumentNullException.ThrowIfNull(call);
        var result = await call;
        return result.Success ? result : result with { Success = true, Value = fallbackValue, Degraded = true };
    }

    /// <summary>
    /// Runs calls concurrently (at most <paramref name="maxConcurrency"/> at a time) and returns one result per call, in
    /// order (seed 001 <c>parallel_service_calls</c>, seed 003 <c>batch_call</c>); a failing call never fails the batch.
    /// </summary>
    /// <typeparam name="T">The answers' type.</typeparam>
    /// <param name="client">The client.</param>
    /// <param name="calls">The calls.</param>
    /// <param name="maxConcurrency">How many run at once.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The results, in the order of <paramref name="calls"/>.</returns>
    public static async Task<IReadOnlyList<ServiceResult<T>>> BatchAsync<T>(this IServiceClient client, IEnumerable<Func<IServiceClient, CancellationToken, Task<ServiceResult<T>>>> calls, int maxConcurrency = 16, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(calls);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        var list = calls.ToArray();
        var results = new ServiceResult<T>[list.Length];
        using var gate = new SemaphoreSlim(maxConcurrency);
        await Task.WhenAll(list.Select(async (call, i) =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                results[i] = await call(client, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results[i] = new ServiceResult<T> { Success = false, ServiceName = "", Error = ex.Message, Exception = ex };
            }
            finally
            {
                gate.Release();
            }
        }));
        return results;
    }

    private static bool IsClientError<T>(ServiceResult<T> result) => result.StatusCode is { } s && (int)s is >= 400 and < 500 && (int)s is not 408 and not 429;

    private static IServiceClient Client(IServiceClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client;
    }

    /// <summary>
    /// Calls our own client directly rather than through the interface: a generic method called through an interface
    /// is looked up at run time on every call.
    /// </summary>
    private static Task<ServiceResult<T>> Send<T>(IServiceClient client, HttpMethod method, string serviceName, string path, object? body, CallOptions? options, CancellationToken cancellationToken) =>
        Client(client) is ServiceClient own
            ? own.SendAsync<T>(method, serviceName, path, body, options, cancellationToken)
            : client.SendAsync<T>(method, serviceName, path, body, options, cancellationToken);
}
