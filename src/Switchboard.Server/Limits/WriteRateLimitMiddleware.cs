using Microsoft.AspNetCore.Http;
using Switchboard.Server.Http;

namespace Switchboard.Server.Limits;

/// <summary>Refuses a write past its client's rate (<see cref="WriteRateLimiter"/>) before its handler runs: ProblemDetails on the native API, Consul's plain text on <c>/v1</c>.</summary>
internal sealed class WriteRateLimitMiddleware(RequestDelegate next, WriteRateLimiter limiter)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (limiter.TryAcquire(context, out var refusal))
            return next(context);
        var answer = WriteRequests.IsConsul(context.Request) ? refusal!.Text(context) : refusal!.Problem(context);
        return answer.ExecuteAsync(context);
    }
}
