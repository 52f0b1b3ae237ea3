using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.Registry.Storage;

namespace Switchboard.Server.Http;

/// <summary>
/// How both HTTP APIs answer a write the store could not save (<see cref="RegistryStoreUnavailableException"/>): 503 with
/// <c>Retry-After</c> and the store's one-line reason. The native API shapes it as ProblemDetails, the Consul API as text.
/// </summary>
internal static class StoreUnavailable
{
    /// <summary>The title of the native API's ProblemDetails.</summary>
    public const string Title = "The registry could not save the change: its store is unavailable.";

    /// <summary>Sets <c>Retry-After</c> (whole seconds, at least 1) on the response.</summary>
    public static void SetRetryAfter(HttpResponse response, RegistryStoreUnavailableException exception)
        => response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(exception.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The native API's answer: 503 ProblemDetails naming the reason.</summary>
    public static IResult Problem(HttpContext context, RegistryStoreUnavailableException exception)
    {
        SetRetryAfter(context.Response, exception);
        return ProblemResults.Unavailable(Title, exception.Message);
    }
}
