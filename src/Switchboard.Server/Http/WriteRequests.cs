using Microsoft.AspNetCore.Http;
using Switchboard.Api;

namespace Switchboard.Server.Http;

/// <summary>Which requests are the registry's writes: POST, PUT, DELETE and PATCH under the native, the Consul and the Eureka API's prefixes.</summary>
internal static class WriteRequests
{
    /// <summary>The Consul-compatible API's prefix.</summary>
    public const string ConsulPrefix = "/v1";

    /// <summary>The Eureka-compatible API's prefix.</summary>
    public const string EurekaPrefix = "/eureka";

    /// <summary>Whether <paramref name="request"/> is a write (by method and path, routed or not).</summary>
    public static bool IsWrite(HttpRequest request)
    {
        var method = request.Method;
        return (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method) || HttpMethods.IsPatch(method))
            && (request.Path.StartsWithSegments(RegistryRoutes.Prefix) || IsConsul(request) || request.Path.StartsWithSegments(EurekaPrefix));
    }

    /// <summary>Whether <paramref name="request"/> is for the Consul-compatible API (answered in Consul's plain text).</summary>
    public static bool IsConsul(HttpRequest request) => request.Path.StartsWithSegments(ConsulPrefix);
}
