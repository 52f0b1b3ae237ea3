using Microsoft.AspNetCore.Http;
using Switchboard.Json;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Api;

/// <summary>The query string of the instances route: filters plus the blocking-query parameters.</summary>
/// <param name="Filter">Which instances to return.</param>
/// <param name="Index">Block until the service's index passes this; null for an immediate answer.</param>
/// <param name="Wait">How long to block at most.</param>
internal sealed record InstanceQuery(InstanceFilter Filter, long? Index, TimeSpan Wait)
{
    /// <summary>The wait of a blocking query that names none (Consul's default).</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(5);

    /// <summary>Parses the query; returns the errors keyed by parameter when it is invalid.</summary>
    public static Dictionary<string, string[]> TryParse(IQueryCollection query, TimeSpan maxWait, out InstanceQuery? parsed)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        parsed = null;

        var healthy = false;
        if (query.TryGetValue("healthy", out var h) && !(h.Count == 1 && (h[0] is "" || bool.TryParse(h[0], out healthy))))
            errors["healthy"] = ["healthy must be true or false."];
        if (query.TryGetValue("passing", out var p) && p.Count == 1 && (p[0] is "" || bool.TryParse(p[0], out var passing) && passing))
            healthy = true;

        var tags = query.TryGetValue("tag", out var t) ? t.Where(v => v is not null).Select(v => v!).ToList() : [];
        if (tags.Any(tag => tag.Length is 0 or > RegistrationLimits.MaxTagLength))
            errors["tag"] = [$"each tag must be 1 to {RegistrationLimits.MaxTagLength} characters."];

        string? version = null;
        if (query.TryGetValue("version", out var v))
        {
            version = v.Count == 1 ? v[0] : null;
            if (version is null || version.Length > RegistrationLimits.MaxShortStringLength)
                errors["version"] = ["version must be given once, at most 64 characters."];
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in query)
        {
            if (key.StartsWith("meta.", StringComparison.Ordinal) && key.Length > 5)
                metadata[key[5..]] = values.Count == 1 ? values[0] ?? "" : "";
        }

        long? index = null;
        if (query.TryGetValue("index", out var i))
        {
            if (i.Count == 1 && long.TryParse(i[0], out var n) && n >= 0)
                index = n;
            else
                errors["index"] = ["index must be a non-negative integer."];
        }

        var wait = DefaultWait;
        if (query.TryGetValue("wait", out var w))
        {
            if (w.Count == 1 && Durations.TryParse(w[0], out var d) && d >= TimeSpan.Zero)
                wait = d > maxWait ? maxWait : d;
            else
                errors["wait"] = ["wait must be a duration such as 30s or 5m."];
        }

        if (errors.Count == 0)
        {
            parsed = new InstanceQuery(new InstanceFilter
            {
                Healthy = healthy,
                Tags = tags,
                Version = version,
                Metadata = metadata.Count == 0 ? Switchboard.Instances.ServiceInstance.EmptyMetadata : metadata,
            }, index, wait);
        }
        return errors;
    }
}
