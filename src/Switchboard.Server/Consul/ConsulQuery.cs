using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Consul;

/// <summary>The query parameters every Consul read understands: blocking (<c>index</c>, <c>wait</c>), <c>dc</c> and the consistency modes.</summary>
/// <param name="Index">The catalog index to block past; null for an immediate answer (no <c>index</c>, or <c>index=0</c>).</param>
/// <param name="Wait">How long to block at most, jitter included.</param>
internal sealed record ConsulQuery(long? Index, TimeSpan Wait)
{
    /// <summary>Consul's wait when a blocking query names none.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);

    /// <summary>Consul's longest wait.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(10);

    /// <summary>Consul spreads wake-ups by adding up to <c>wait / 16</c>.</summary>
    public const int JitterFraction = 16;

    /// <summary>Parses the request's query; false with the plain-text error result when a parameter is invalid.</summary>
    public static bool TryParse(HttpRequest request, ConsulNodeInfo node, out ConsulQuery query, out IResult? error)
    {
        query = new ConsulQuery(null, DefaultWait);
        error = null;
        var q = request.Query;
        if (q.TryGetValue("dc", out var dc) && dc.Count > 0 && !string.IsNullOrEmpty(dc[0]) && !string.Equals(dc[0], node.Datacenter, StringComparison.Ordinal))
        {
            error = ConsulResults.BadRequest("No path to datacenter"); // Consul answers 500; a datacenter that does not exist is the caller's error, and the registry answers no input with a 5xx
            return false;
        }
        if (q.ContainsKey("stale") && q.ContainsKey("consistent"))
        {
            error = ConsulResults.BadRequest("Cannot specify ?stale with ?consistent, conflicting semantics.");
            return false;
        }
        if (q.TryGetValue("filter", out var filter) && filter.Any(f => !string.IsNullOrEmpty(f)))
        {
            error = ConsulResults.BadRequest("Switchboard does not support ?filter expressions; use the tag and passing parameters");
            return false;
        }
        var wait = TimeSpan.Zero;
        if (q.TryGetValue("wait", out var w) && w.Count > 0 && !string.IsNullOrEmpty(w[0]))
        {
            if (!Json.Durations.TryParse(w[0], out wait))
            {
                error = ConsulResults.BadRequest("Invalid wait time");
                return false;
            }
        }
        long? index = null;
        if (q.TryGetValue("index", out var i) && i.Count > 0 && !string.IsNullOrEmpty(i[0]))
        {
            if (!ulong.TryParse(i[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var consulIndex))
            {
                error = ConsulResults.BadRequest("Invalid index");
                return false;
            }
            if (consulIndex > 0)
                index = ConsulIndex.ToCatalog(consulIndex);
        }
        query = new ConsulQuery(index, WithJitter(wait));
        return true;
    }

    /// <summary>Consul's wait: the default when none (or zero) is given, at most <see cref="MaxWait"/>, plus up to wait/16 of jitter.</summary>
    public static TimeSpan WithJitter(TimeSpan requested)
    {
        var wait = requested <= TimeSpan.Zero ? DefaultWait : requested > MaxWait ? MaxWait : requested;
        var jitter = wait.Ticks / JitterFraction;
        return jitter > 0 ? wait + TimeSpan.FromTicks(Random.Shared.NextInt64(jitter)) : wait;
    }

    private static ClientSlots Slots(HttpContext context) => context.RequestServices.GetRequiredService<ServerLimits>().BlockingQueries;

    /// <summary>
    /// Whether the request's index is one the catalog has never reached: one from before a restart of an in-memory
    /// registry. Such a query answers at once with the current (lower) index, so the client resets its index as Consul's
    /// blocking rules ask, instead of waiting the full wait for changes it would then miss.
    /// </summary>
    public bool IsFromTheFuture(ServiceCatalog catalog) => Index > catalog.PublishedIndex;

    /// <summary>Whether the query parks: it names an index the catalog has reached (else it answers at once).</summary>
    public bool Blocks(ServiceCatalog catalog) => Index is not null && !IsFromTheFuture(catalog);

    /// <summary>The service's view now (null when it never existed) and the catalog index to answer with.</summary>
    public static (ServiceView? View, long Index) Current(ServiceCatalog catalog, string serviceName)
    {
        // Read the index before the view: whatever the view shows is at least as new as the index answered.
        var published = catalog.PublishedIndex;
        var view = catalog.GetService(serviceName);
        return view is not null ? (view, view.Index) : (null, published);
    }

    /// <summary>Blocks (when asked) until a change past the index anywhere in the catalog; returns the catalog index to answer with.</summary>
    /// <exception cref="LimitRefusedException">Parking would exceed a blocking-query limit.</exception>
    public async Task<long> WaitForCatalogAsync(ServiceCatalog catalog, HttpContext context)
    {
        if (Index is not { } index || IsFromTheFuture(catalog))
            return catalog.PublishedIndex;
        using (Slots(context).Acquire(context))
            return await catalog.WaitForCatalogChangeAsync(index, Wait, context.RequestAborted);
    }

    /// <summary>Blocks (when asked) until the service changes past the index; returns its view (null when it never existed) and the catalog index to answer with.</summary>
    /// <exception cref="LimitRefusedException">Parking would exceed a blocking-query limit.</exception>
    public async Task<(ServiceView? View, long Index)> WaitForServiceAsync(ServiceCatalog catalog, string serviceName, HttpContext context)
    {
        if (Index is { } index && !IsFromTheFuture(catalog))
        {
            ServiceView? waited;
            using (Slots(context).Acquire(context))
                waited = await catalog.WaitForServiceAsync(serviceName, index, Wait, context.RequestAborted);
            if (waited is not null)
                return (waited, waited.Index);
        }
        return Current(catalog, serviceName);
    }
}
