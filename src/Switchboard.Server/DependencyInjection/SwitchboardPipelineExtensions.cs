using Switchboard.Server.Audit;
using Switchboard.Server.Diagnostics;
using Switchboard.Server.Http;
using Switchboard.Server.Limits;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the registry's write guards to an ASP.NET Core pipeline.</summary>
public static class SwitchboardPipelineExtensions
{
    private const string Added = "Switchboard.WriteGuards";

    /// <summary>
    /// Adds, once, the count of refused writes (<c>switchboard.registry.writes.refused</c>), the audit of every write (<c>Switchboard.Audit</c> log category) and the per-client write rate limit
    /// (<c>Switchboard:Limits:Writes</c>). <c>MapSwitchboardApi()</c> calls it on a <c>WebApplication</c>; a host that maps
    /// the API inside <c>UseEndpoints</c> calls it itself, after <c>UseRouting()</c> (the audit names a write by its route).
    /// </summary>
    public static IApplicationBuilder UseSwitchboardWriteGuards(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Properties.ContainsKey(Added))
            return app;
        app.Properties[Added] = true;
        // Reads, most of the traffic, pass one method check and none of the guards.
        return app.UseWhen(static context => WriteRequests.IsWrite(context.Request), writes =>
        {
            // The refusal count wraps the audit and the limit, so every refusal is counted once.
            writes.UseMiddleware<RefusedWritesMiddleware>();
            // The audit wraps the limit, so a write refused for its rate is audited too.
            writes.UseMiddleware<WriteAuditMiddleware>();
            writes.UseMiddleware<WriteRateLimitMiddleware>();
        });
    }
}
