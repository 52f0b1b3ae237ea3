using System.Runtime.CompilerServices;
using Polly;
using Switchboard.Client.Discovery;

namespace Switchboard.Client.Resilience;

/// <summary>
/// A Polly strategy that picks the instance of each attempt through the load-balancing policy (inside the retry, so
/// every retry picks again and avoids the instances already tried) and counts it in flight for the attempt.
/// </summary>
internal sealed class InstancePickStrategy : ResilienceStrategy<HttpResponseMessage>
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var call = context.Properties.GetValue(CallState.Key, null!);
        var endpoint = call.PickNext();
        if (endpoint is null)
        {
            return Outcome.FromException<HttpResponseMessage>(ServiceUnavailableException.NoHealthyInstance(call.Service, call.Discovery));
        }
        using var inFlight = endpoint.BeginRequest();
        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }
}
