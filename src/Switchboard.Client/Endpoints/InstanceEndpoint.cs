using System.Collections.Concurrent;
using Switchboard.Client.Resilience;
using Switchboard.Instances;

namespace Switchboard.Client.Endpoints;

/// <summary>
/// One instance of a service as the client sees it: the registry's <see cref="ServiceInstance"/> plus the
/// client's own state for it (requests in flight, ejection by a circuit breaker).
/// </summary>
/// <remarks>
/// The endpoint cache keeps one object per instance id for as long as the instance is registered, so the
/// in-flight counter and the ejection survive catalog updates. Every member is thread-safe.
/// </remarks>
public sealed class InstanceEndpoint
{
    private volatile Snapshot _snapshot;
    private int _inFlight;
    private volatile bool _ejected;
    private InstanceCircuitBreaker? _breaker;

    /// <summary>Creates an endpoint for <paramref name="instance"/>.</summary>
    /// <param name="instance">The instance.</param>
    /// <exception cref="ArgumentException">The instance's base URL is not an absolute URI.</exception>
    public InstanceEndpoint(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        _snapshot = Snapshot.Create(instance);
    }

    /// <summary>The instance as last reported.</summary>
    public ServiceInstance Instance => _snapshot.Instance;

    /// <summary>The instance's id.</summary>
    public string InstanceId => _snapshot.Instance.InstanceId;

    /// <summary>The instance's base URL (<c>protocol://host:port/path/</c>, always ending with a slash so relative paths append).</summary>
    public Uri BaseUri => _snapshot.BaseUri;

    /// <summary>The instance's weight for weighted policies, at least 1.</summary>
    public int Weight => Math.Max(1, _snapshot.Instance.Weight);

    /// <summary>The requests to this instance that have started and not finished.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True while the caller has ejected the instance (its circuit breaker is open): not a candidate for load balancing unless every instance is.</summary>
    public bool IsEjected => _ejected;

    /// <summary>Counts one request in flight until the returned scope is disposed.</summary>
    /// <returns>A scope whose disposal ends the request.</returns>
    public InFlightScope BeginRequest()
    {
        Interlocked.Increment(ref _inFlight);
        return new InFlightScope(this);
    }

    internal void EndRequest() => Interlocked.Decrement(ref _inFlight);

    internal void SetEjected(bool ejected) => _ejected = ejected;

    /// <summary>The instance's circuit breaker, once a call created it.</summary>
    internal InstanceCircuitBreaker? Breaker => Volatile.Read(ref _breaker);

    internal InstanceCircuitBreaker GetBreaker<TState>(Func<InstanceEndpoint, TState, InstanceCircuitBreaker> factory, TState state) =>
        Volatile.Read(ref _breaker) ?? (Interlocked.CompareExchange(ref _breaker, factory(this, state), null) ?? _breaker!);

    /// <summary>
    /// The absolute URI of <paramref name="path"/> on this instance (<c>new Uri(BaseUri, path.TrimStart('/'))</c>),
    /// cached per path for the current base URL so repeated calls do not parse and combine it again.
    /// </summary>
    internal Uri Resolve(string path) => _snapshot.Resolve(path);

    internal void Update(ServiceInstance instance)
    {
        if (!ReferenceEquals(instance, _snapshot.Instance))
            _snapshot = Snapshot.Create(instance);
    }

    /// <inheritdoc />
    public override string ToString() => $"{InstanceId} ({BaseUri})";

    private sealed class Snapshot(ServiceInstance instance, Uri baseUri)
    {
        /// <summary>Paths resolved at most; beyond it (paths with ids or queries) URIs are built per call.</summary>
        private const int MaxCachedPaths = 256;

        private readonly ConcurrentDictionary<string, Uri> _uris = new(StringComparer.Ordinal);

        public ServiceInstance Instance { get; } = instance;

        public Uri BaseUri { get; } = baseUri;

        public static Snapshot Create(ServiceInstance instance)
        {
            var url = instance.BaseUrl;
            if (!url.EndsWith('/'))
                url += "/";
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
                throw new ArgumentException($"Instance '{instance.InstanceId}' has base URL '{url}', which is not an absolute URI.", nameof(instance));
            return new Snapshot(instance, uri);
        }

        public Uri Resolve(string path)
        {
            if (_uris.TryGetValue(path, out var uri))
                return uri;
            uri = new Uri(BaseUri, Relative(path));
            if (_uris.Count < MaxCachedPaths)
                _uris.TryAdd(path, uri);
            return uri;
        }

        /// <summary>
        /// The path relative to the base path. A first segment with a colon ("/items:search") is kept relative with
        /// "./": as it stands it would read as a URI of the scheme "items".
        /// </summary>
        private static string Relative(string path)
        {
            var relative = path.TrimStart('/');
            var colon = relative.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
                return relative;
            var end = relative.AsSpan().IndexOfAny('/', '?', '#');
            return end < 0 || colon < end ? "./" + relative : relative;
        }
    }
}
