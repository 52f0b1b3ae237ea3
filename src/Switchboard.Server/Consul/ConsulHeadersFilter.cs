using Microsoft.AspNetCore.Http;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Consul;

/// <summary>
/// Puts Consul's query headers on every <c>/v1</c> answer, errors and 404s included (clients read them unconditionally):
/// <c>X-Consul-Index</c> (unless the handler set a more precise one), <c>X-Consul-KnownLeader: true</c> and
/// <c>X-Consul-LastContact: 0</c> (one node: it is the leader).
/// </summary>
internal sealed class ConsulHeadersFilter(ServiceCatalog catalog) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var response = context.HttpContext.Response;
        var index = catalog.PublishedIndex; // read before the handler reads any data
        response.Headers["X-Consul-KnownLeader"] = "true";
        response.Headers["X-Consul-LastContact"] = "0";
        var result = await next(context);
        if (!response.Headers.ContainsKey(ConsulIndex.Header))
            ConsulIndex.Set(response, index);
        return result;
    }
}
