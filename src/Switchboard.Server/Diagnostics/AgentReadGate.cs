using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Server.Api;
using Switchboard.Server.Consul;

namespace Switchboard.Server.Diagnostics;

/// <summary>Guards an agent-level endpoint (such as <c>/metrics</c>) with <c>agent:read</c> on this node, as Consul guards <c>/v1/agent/self</c>.</summary>
internal static class AgentReadGate
{
    /// <summary>
    /// Adds a middleware answering a request whose token may not read this agent with the native API's 403
    /// (ProblemDetails naming <c>agent:read</c>); while ACLs are off, every request passes.
    /// </summary>
    public static IApplicationBuilder UseAgentReadGate(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(static async (context, next) =>
        {
            var node = context.RequestServices.GetRequiredService<ConsulNodeInfo>().Name;
            if (NativeAcl.Deny(context, static (acl, name) => acl.AgentRead(name), node) is { } refusal)
            {
                await refusal.ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        });
    }
}
