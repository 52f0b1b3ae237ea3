using System.Net;
using Switchboard.Client.Discovery;
using Switchboard.Client.Resilience;

namespace Switchboard.Client.Calls;

/// <summary>The result of a service call (seed 003: <c>result.success</c>, <c>data</c>, <c>error</c>, <c>status_code</c>); never thrown.</summary>
/// <typeparam name="T">The type of the answer's body.</typeparam>
public sealed record ServiceResult<T>
{
    /// <summary>Whether the call succeeded (a 2xx answer read as <typeparamref name="T"/>, or a fallback / cached value).</summary>
    public required bool Success { get; init; }

    /// <summary>The value; default when the call failed without a fallback.</summary>
    public T? Value { get; init; }

    /// <summary>What went wrong, readable; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>The typed failure: <see cref="ServiceUnavailableException"/>, <see cref="CircuitOpenException"/>, <see cref="ServiceTimeoutException"/> or <see cref="ServiceCallException"/>.</summary>
    public Exception? Exception { get; init; }

    /// <summary>The HTTP status of the last answer, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The service called (the fallback service when <see cref="FallbackUsed"/>).</summary>
    public required string ServiceName { get; init; }

    /// <summary>Attempts made (1 when the first succeeded).</summary>
    public int Attempts { get; init; }

    /// <summary>The instance of the last attempt.</summary>
    public string? InstanceId { get; init; }

    /// <summary>The base URL of the instance of the last attempt.</summary>
    public Uri? InstanceUri { get; init; }

    /// <summary>How long the call took, retries included.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>True when the value is not a fresh answer: a declared fallback value or a stale cached answer served because every attempt failed (graceful degradation).</summary>
    public bool Degraded { get; init; }

    /// <summary>
    /// True when the call went to an instance picked in panic mode: every instance of the service was ejected (its circuit
    /// breaker open), so the call was sent anyway rather than refused. Expect it to be slow or to fail; the service needs attention.
    /// </summary>
    public bool Panic { get; init; }

    /// <summary>True when the value came from the response cache.</summary>
    public bool FromCache { get; init; }

    /// <summary>True when a fallback service or version answered.</summary>
    public bool FallbackUsed { get; init; }

    /// <summary>The X-Request-ID the call carried.</summary>
    public string? RequestId { get; init; }

    /// <summary>Returns <see cref="Value"/> or throws <see cref="Exception"/>.</summary>
    /// <returns>The value.</returns>
    public T EnsureSuccess()
    {
        if (Success)
            return Value!;
        throw Exception ?? new ServiceCallException(Error ?? "The call failed.") { ServiceName = ServiceName, StatusCode = StatusCode };
    }
}
