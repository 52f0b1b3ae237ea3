using System.Diagnostics;
using Polly;
using Switchboard.Client.Calls;
using Switchboard.Client.Endpoints;
using Switchboard.Client.Resilience;

namespace Switchboard.Client.Diagnostics;

/// <summary>
/// The span of one attempt of a call (<c>attempt {service}</c>), a child of the call's span: the instance, the attempt's
/// number, the instance's breaker state when it was asked, and the outcome. Nothing is created while nobody listens.
/// </summary>
internal static class AttemptSpan
{
    /// <summary>Starts the span of the attempt <paramref name="call"/> is about to make on <paramref name="endpoint"/>.</summary>
    public static Activity? Start(CallState call, InstanceEndpoint endpoint, CircuitState? breaker)
    {
        if (!ServiceClient.ActivitySource.HasListeners())
            return null;
        var activity = ServiceClient.ActivitySource.StartActivity($"attempt {call.Service}", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("service.name", call.Service);
            activity.SetTag("switchboard.instance.id", endpoint.InstanceId);
            activity.SetTag("server.address", endpoint.BaseUri.Host);
            activity.SetTag("server.port", endpoint.BaseUri.Port);
            activity.SetTag("switchboard.attempt", call.Attempts);
            activity.SetTag("switchboard.breaker.state", CircuitStateLabels.Of(breaker));
        }
        return activity;
    }

    /// <summary>Records the attempt's outcome and ends the span.</summary>
    public static void End(Activity? activity, Outcome<HttpResponseMessage> outcome)
    {
        if (activity is null)
            return;
        if (outcome.Exception is { } exception)
        {
            activity.SetTag("switchboard.outcome", exception is CircuitOpenException ? "circuit_open" : "error");
            activity.SetTag("error.type", exception.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        }
        else
        {
            var status = outcome.Result!.StatusCode;
            var failed = FailureClassifier.IsFailureStatus(status);
            activity.SetTag("http.response.status_code", (int)status);
            activity.SetTag("switchboard.outcome", failed ? "failure" : "success");
            if (failed)
                activity.SetStatus(ActivityStatusCode.Error);
        }
        activity.Dispose();
    }
}
