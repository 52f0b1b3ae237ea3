using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Switchboard.Instances;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Consul;

/// <summary>
/// Consul's read answers as bytes, built once per change and then served by lookup: <c>/v1/health/service</c> (plain,
/// <c>?passing</c>, one <c>tag</c>) and <c>/v1/catalog/service</c> (plain, one <c>tag</c>) on the service's
/// <see cref="ServiceView"/>; <c>/v1/catalog/services</c> and <c>/v1/agent/services</c> per catalog index. The builders
/// are the ones the per-request path serializes, so both paths give the same bytes.
/// </summary>
/// <remarks>
/// Bounds: per view, the three untagged answers plus the first <see cref="MaxTaggedAnswers"/> tagged ones asked for, at
/// most <see cref="MaxTaggedBytes"/> of them (tags compared case-insensitively, as the filter does); a later tag is
/// serialized per request until the next view. The untagged answers are what every poller of the service reads: they
/// cost about what the view's instances cost in Consul's shape (a health entry is about 1.6 KB per instance).
/// Health answers show check outputs, which change without a new view: they are kept with the
/// <see cref="ServiceView.OutputVersion"/> read before building and rebuilt when it moved. Only an answer that is the
/// same for every token is cached: a service answer for a token that may read the service (the handler decided it
/// already), a catalog-wide one for a token that may read everything (<see cref="Registry.Acl.Authorizer.IsManagement"/>,
/// which every request is while ACLs are off).
/// </remarks>
internal sealed class ConsulAnswers(ServiceCatalog catalog, ConsulViews views)
{
    /// <summary>How many tagged answers one view keeps, over the three kinds.</summary>
    public const int MaxTaggedAnswers = 16;

    /// <summary>How many bytes of tagged answers one view keeps (a tagged answer of a large service is serialized per request instead).</summary>
    public const int MaxTaggedBytes = 1 << 20;

    /// <summary>The query parameters that leave the answer as the cache holds it; any other (<c>pretty</c>, <c>near</c>, ...) takes the per-request path.</summary>
    private static readonly string[] CacheableParameters = ["index", "wait", "dc", "stale", "consistent", "cached", "passing", "tag", "token"];

    private Stamped? _catalogServices;
    private Stamped? _agentServices;

    /// <summary>Whether the request's parameters allow a cached answer: only known ones, at most one non-empty <c>tag</c>, which is returned.</summary>
    public static bool Serves(HttpRequest request, out string? tag)
    {
        tag = null;
        var query = request.Query;
        if (query.Count == 0)
            return true;
        foreach (var (key, _) in query)
        {
            if (Array.IndexOf(CacheableParameters, key) < 0)
                return false;
        }
        if (query.TryGetValue("tag", out var tags))
        {
            foreach (var value in tags)
            {
                if (string.IsNullOrEmpty(value))
                    continue;
                if (tag is not null)
                    return false;
                tag = value;
            }
        }
        return true;
    }

    /// <summary>The instances with their node and checks, as <c>/v1/health/service</c> lists them.</summary>
    public List<ConsulServiceEntry> HealthEntries(ServiceView view, bool passingOnly, string[] tags)
    {
        var result = new List<ConsulServiceEntry>(view.Instances.Count);
        foreach (var instance in view.Instances)
        {
            // Consul's ?passing keeps instances whose checks all pass: Switchboard's status is the worst check.
            if ((!passingOnly || instance.Status == HealthStatus.Passing) && HasTags(instance, tags))
                result.Add(views.Entry(instance));
        }
        return result;
    }

    /// <summary>The instances as <c>/v1/catalog/service</c> lists them.</summary>
    public List<ConsulCatalogService> CatalogEntries(ServiceView view, string[] tags)
    {
        var result = new List<ConsulCatalogService>(view.Instances.Count);
        foreach (var instance in view.Instances)
        {
            if (HasTags(instance, tags))
                result.Add(views.CatalogService(instance));
        }
        return result;
    }

    /// <summary>Every service with the union of its instances' tags, as <c>/v1/catalog/services</c> maps them; with a request, only those its token may read (marking the answer filtered).</summary>
    public SortedDictionary<string, IReadOnlyList<string>> ServiceTags(HttpContext? context)
    {
        var services = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var service in catalog.ListServices().Services)
        {
            if (context is null || ConsulAcl.CanRead(context, service.ServiceName))
                services[service.ServiceName] = service.Tags;
        }
        return services;
    }

    /// <summary>Every instance by id, as <c>/v1/agent/services</c> maps them; with a request, only those its token may read (marking the answer filtered).</summary>
    public SortedDictionary<string, ConsulAgentService> AgentServices(HttpContext? context)
    {
        var instances = ConsulAgentReads.AllInstances(catalog);
        var services = new SortedDictionary<string, ConsulAgentService>(StringComparer.Ordinal);
        foreach (var instance in context is null ? instances : ConsulAcl.Readable(context, instances))
            services[instance.InstanceId] = views.AgentService(instance);
        return services;
    }

    /// <summary>The <c>/v1/health/service</c> answer of a token that may read the service.</summary>
    public byte[] HealthService(ServiceView view, bool passingOnly, string? tag)
    {
        var answers = view.Derived(static _ => new ViewAnswers());
        var key = new AnswerKey(passingOnly ? AnswerKind.Passing : AnswerKind.Health, tag);
        var outputs = view.OutputVersion; // before building: an output written meanwhile moves it past what is kept
        if (answers.TryGet(key, out var kept) && kept.Stamp == outputs)
            return kept.Bytes;
        var bytes = ConsulResults.Compact<IReadOnlyList<ConsulServiceEntry>>(HealthEntries(view, passingOnly, Tags(tag)), static c => c.IReadOnlyListConsulServiceEntry);
        answers.Keep(key, new Stamped(outputs, bytes));
        return bytes;
    }

    /// <summary>The <c>/v1/catalog/service</c> answer of a token that may read the service.</summary>
    public byte[] CatalogService(ServiceView view, string? tag)
    {
        var answers = view.Derived(static _ => new ViewAnswers());
        var key = new AnswerKey(AnswerKind.Catalog, tag);
        if (answers.TryGet(key, out var kept))
            return kept.Bytes;
        var bytes = ConsulResults.Compact<IReadOnlyList<ConsulCatalogService>>(CatalogEntries(view, Tags(tag)), static c => c.IReadOnlyListConsulCatalogService);
        answers.Keep(key, new Stamped(0, bytes));
        return bytes;
    }

    /// <summary>The <c>/v1/catalog/services</c> answer of a token that may read every service, as of the catalog's published index.</summary>
    public byte[] CatalogServices()
        => AtPublishedIndex(ref _catalogServices, static a => ConsulResults.Compact(a.ServiceTags(null), static c => c.SortedDictionaryStringIReadOnlyListString));

    /// <summary>The <c>/v1/agent/services</c> answer of a token that may read every service, as of the catalog's published index.</summary>
    public byte[] AgentServicesBytes()
        => AtPublishedIndex(ref _agentServices, static a => ConsulResults.Compact(a.AgentServices(null), static c => c.SortedDictionaryStringConsulAgentService));

    /// <summary>Whether the instance carries every tag, compared case-insensitively as Consul does.</summary>
    public static bool HasTags(ServiceInstance instance, string[] tags)
    {
        foreach (var tag in tags)
        {
            if (!instance.Tags.Any(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase)))
                return false;
        }
        return true;
    }

    private byte[] AtPublishedIndex(ref Stamped? slot, Func<ConsulAnswers, byte[]> build)
    {
        // The index before the data: views and lists read afterwards are at least as new, as the per-request path's are.
        var index = catalog.PublishedIndex;
        if (Volatile.Read(ref slot) is { } kept && kept.Stamp == index)
            return kept.Bytes;
        var bytes = build(this);
        Volatile.Write(ref slot, new Stamped(index, bytes));
        return bytes;
    }

    private static string[] Tags(string? tag) => tag is null ? [] : [tag];

    /// <summary>Bytes with what they were built at: an output version, or a catalog index.</summary>
    private sealed record Stamped(long Stamp, byte[] Bytes);

    private enum AnswerKind
    {
        Health,
        Passing,
        Catalog,
    }

    private readonly record struct AnswerKey(AnswerKind Kind, string? Tag);

    /// <summary>One view's answers: the untagged ones always, tagged ones up to <see cref="MaxTaggedAnswers"/> and <see cref="MaxTaggedBytes"/>.</summary>
    private sealed class ViewAnswers
    {
        private readonly ConcurrentDictionary<AnswerKey, Stamped> _answers = new(KeyComparer.Instance);
        private int _tagged;
        private long _taggedBytes;

        public bool TryGet(AnswerKey key, out Stamped kept) => _answers.TryGetValue(key, out kept!);

        public void Keep(AnswerKey key, Stamped answer)
        {
            if (key.Tag is null || _answers.ContainsKey(key))
            {
                _answers[key] = answer; // an untagged answer, or a newer build of one already kept
                return;
            }
            if (Interlocked.Increment(ref _tagged) <= MaxTaggedAnswers && Interlocked.Add(ref _taggedBytes, answer.Bytes.Length) <= MaxTaggedBytes)
                _answers[key] = answer;
        }
    }

    private sealed class KeyComparer : IEqualityComparer<AnswerKey>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(AnswerKey x, AnswerKey y) => x.Kind == y.Kind && string.Equals(x.Tag, y.Tag, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode(AnswerKey key) => HashCode.Combine(key.Kind, key.Tag is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(key.Tag));
    }
}
