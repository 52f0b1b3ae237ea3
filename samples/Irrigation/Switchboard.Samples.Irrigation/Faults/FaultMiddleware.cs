namespace Switchboard.Samples.Irrigation.Faults;

/// <summary>Applies the <see cref="FaultSwitch"/> to every request except <c>/fault</c> (and, for fail and slow, <c>/health</c>).</summary>
internal sealed class FaultMiddleware(RequestDelegate next, FaultSwitch faults, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(FaultApi.Path))
        {
            await next(context);
            return;
        }
        switch (faults.Mode)
        {
            case FaultMode.Down:
                context.Abort();
                return;
            case FaultMode.Fail when !path.StartsWithSegments("/health"):
                await Results.Problem("Fault injected: this instance is in 'fail' mode (POST /fault {\"mode\":\"none\"} to heal it).", statusCode: StatusCodes.Status500InternalServerError, title: "Injected failure.").ExecuteAsync(context);
                return;
            case FaultMode.Slow when !path.StartsWithSegments("/health"):
                await Task.Delay(faults.SlowDelay, time, context.RequestAborted);
                break;
        }
        await next(context);
    }
}
