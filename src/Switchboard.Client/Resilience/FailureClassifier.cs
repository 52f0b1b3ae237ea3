using System.Net;
using Polly;
using Polly.Timeout;
using Switchboard.Client.Discovery;

namespace Switchboard.Client.Resilience;

/// <summary>Which outcomes count against an instance and which are worth another attempt.</summary>
internal static class FailureClassifier
{
    /// <summary>5xx, 408 and 429 are the instance's failures; other statuses are answers.</summary>
    public static bool IsFailureStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>Whether the outcome counts against the instance (for its breaker).</summary>
    public static bool IsInstanceFailure(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex
            ? ex is HttpRequestException or TimeoutRejectedException or IOException or OperationCanceledException
            : IsFailureStatus(outcome.Result!.StatusCode);

    /// <summary>Whether another attempt (on another instance) may succeed.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex
            ? ex is HttpRequestException or TimeoutRejectedException or IOException or CircuitOpenException && ex is not ServiceUnavailableException
            : IsFailureStatus(outcome.Result!.StatusCode);
}
