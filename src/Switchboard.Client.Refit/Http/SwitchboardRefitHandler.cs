using System.Collections.Concurrent;
using System.Reflection;
using Refit;
using Switchboard.Client.Calls;

namespace Switchboard.Client.Http;

/// <summary>
/// The primary handler of a Switchboard typed client: sends every request of the Refit interface through the
/// service's discovery, load balancing and resilience pipeline, honouring <see cref="SwitchboardCallAttribute"/> per
/// method (retry of non-idempotent methods, response caching of GET methods). Primary, so that handlers added to the
/// client's builder wrap it (once per call) instead of sitting behind a handler that never calls them.
/// </summary>
internal sealed class SwitchboardRefitHandler(ServiceClient client, string serviceName) : HttpMessageHandler
{
    private static readonly HttpRequestOptionsKey<RestMethodInfo> MethodKey = new(HttpRequestMessageOptions.RestMethodInfo);
    private static readonly HttpRequestOptionsKey<Type> InterfaceKey = new(HttpRequestMessageOptions.InterfaceType);
    private static readonly HttpRequestOptionsKey<string> MethodNameKey = new(HttpRequestMessageOptions.MethodName);
    private static readonly ConcurrentDictionary<MethodInfo, SwitchboardCallAttribute?> ByMethod = new();
    private static readonly ConcurrentDictionary<(Type Type, string Name), SwitchboardCallAttribute?> ByName = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var settings = Settings(request);
        var allowRetry = settings?.AllowRetry ?? false;
        if (settings is { CacheSeconds: > 0 } && request.Method == HttpMethod.Get)
            return client.SendCachedRequestAsync(serviceName, request, allowRetry, CacheOptionsOf(settings, request), cancellationToken);
        return client.SendRequestAsync(serviceName, request, allowRetry, cancellationToken);
    }

    private static CacheOptions CacheOptionsOf(SwitchboardCallAttribute settings, HttpRequestMessage request) => new()
    {
        Ttl = TimeSpan.FromSeconds(settings.CacheSeconds),
        CacheOnError = settings.CacheOnError,
        StaleTtl = TimeSpan.FromSeconds(Math.Max(0, settings.StaleSeconds)),
        ForceRefresh = request.Headers.CacheControl?.NoCache == true,
    };

    /// <summary>The <see cref="SwitchboardCallAttribute"/> of the interface method that made the request (reflection or generated client), looked up once per method.</summary>
    private static SwitchboardCallAttribute? Settings(HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(MethodKey, out var info))
            return ByMethod.GetOrAdd(info.MethodInfo, static m => m.GetCustomAttribute<SwitchboardCallAttribute>());
        if (request.Options.TryGetValue(InterfaceKey, out var type) && request.Options.TryGetValue(MethodNameKey, out var name))
            return ByName.GetOrAdd((type, name), static k => k.Type.GetMethods().FirstOrDefault(m => m.Name == k.Name)?.GetCustomAttribute<SwitchboardCallAttribute>());
        return null;
    }
}
