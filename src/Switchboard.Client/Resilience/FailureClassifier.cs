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

    /// <summary>
    /// Whether the attempt never reached the instance's application: the connection could not be made (refused,
    /// unreachable, name not resolved), or the breaker rejected it. Another instance may take the call at once: nothing
    /// of it was sent, so the retry adds no load to a service that may be overloaded (Finagle's requeue).
    /// </summary>
    public static bool NeverSent(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is CircuitOpenException
            || outcome.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    /// <summary>
    /// Whether the instance looks gone rather than busy: nothing was sent (<see cref="NeverSent"/>), or its connection
    /// ended under the request without an answer (closed or reset by the peer: a killed or restarting process). A
    /// request that may be retried moves to another instance at once after it; a busy instance answers (5xx, 429) or
    /// times out, and those wait for the backoff.
    /// </summary>
    public static bool InstanceGone(Outcome<HttpResponseMessage> outcome)
    {
        if (NeverSent(outcome))
            return true;
        return outcome.Exception is HttpRequestException http
            && (http.HttpRequestError == HttpRequestError.ResponseEnded
                || Internal.TransportErrors.SocketErrorOf(http) is { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionReset or System.Net.Sockets.SocketError.ConnectionAborted });
    }

    /// <summary>Whether another attempt (on another instance) may succeed.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex
            ? ex is HttpRequestException or TimeoutRejectedException or IOException or CircuitOpenException && ex is not ServiceUnavailableException
            : IsFailureStatus(outcome.Result!.StatusCode);
}
