using Microsoft.AspNetCore.Http;
using Switchboard.Registry.Storage;
using Switchboard.Server.Http;

namespace Switchboard.Server.Api;

/// <summary>
/// Wraps the native write routes: a change the store could not save (<see cref="RegistryStoreUnavailableException"/>)
/// becomes a 503 ProblemDetails with <c>Retry-After</c> instead of an unhandled 500.
/// </summary>
internal sealed class StoreUnavailableFilter : IEndpointFilter
{
    public static readonly StoreUnavailableFilter Instance = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (RegistryStoreUnavailableException ex)
        {
            return StoreUnavailable.Problem(context.HttpContext, ex);
        }
    }
}
