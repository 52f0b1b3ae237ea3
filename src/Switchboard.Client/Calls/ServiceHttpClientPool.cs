using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Switchboard.Client.Calls;

/// <summary>
/// One long-lived <see cref="SocketsHttpHandler"/> per service (pooled connections, at most
/// <c>MaxConnectionsPerServer</c> per instance, recycled every 2 minutes so DNS changes are seen), wrapped by the
/// configured middleware handlers.
/// </summary>
internal sealed class ServiceHttpClientPool(IServiceProvider services, IOptions<ServiceClientOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _invokers = new(StringComparer.Ordinal);

    public HttpMessageInvoker Get(string service, int maxConnectionsPerServer) =>
        _invokers.GetOrAdd(service, static (_, s) => s.self.Create(s.max), (self: this, max: maxConnectionsPerServer));

    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
            invoker.Dispose();
        _invokers.Clear();
    }

    private HttpMessageInvoker Create(int maxConnectionsPerServer)
    {
        HttpMessageHandler handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnectionsPerServer,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            AutomaticDecompression = options.Value.AutomaticDecompression,
            UseCookies = false,
        };
        var middleware = options.Value.Middleware;
        for (var i = middleware.Count - 1; i >= 0; i--)
        {
            var outer = middleware[i](services);
            outer.InnerHandler = handler;
            handler = outer;
        }
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }
}
