using Microsoft.AspNetCore.Http;
using Switchboard.Json;

namespace Switchboard.Server.Api;

/// <summary>The query parameters of the native key/value routes, each checked and named in the error when invalid.</summary>
internal sealed class KeyValueQuery
{
    private readonly IQueryCollection _query;
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public KeyValueQuery(IQueryCollection query) => _query = query;

    /// <summary>The errors so far, keyed by parameter.</summary>
    public Dictionary<string, string[]> Errors => _errors;

    /// <summary>A flag: absent is false; present empty, <c>true</c> or <c>false</c>.</summary>
    public bool Flag(string name)
    {
        if (!_query.TryGetValue(name, out var values))
            return false;
        if (values.Count == 1 && values[0] is "")
            return true;
        if (values.Count == 1 && bool.TryParse(values[0], out var parsed))
            return parsed;
        _errors[name] = [$"{name} must be true or false."];
        return false;
    }

    /// <summary>A non-negative integer (null when absent).</summary>
    public long? Number(string name)
    {
        if (!_query.TryGetValue(name, out var values))
            return null;
        if (values.Count == 1 && long.TryParse(values[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
            return n;
        _errors[name] = [$"{name} must be an integer from 0 to {long.MaxValue}, given once."];
        return null;
    }

    /// <summary>A string given at most once (null when absent).</summary>
    public string? Text(string name)
    {
        if (!_query.TryGetValue(name, out var values))
            return null;
        if (values.Count == 1)
            return values[0] ?? "";
        _errors[name] = [$"{name} must be given once."];
        return null;
    }

    /// <summary>The wait of a blocking query (<c>wait</c>, a duration such as 30s, capped at <paramref name="maxWait"/>; 5m when absent).</summary>
    public TimeSpan Wait(TimeSpan maxWait)
    {
        if (!_query.TryGetValue("wait", out var w))
            return InstanceQuery.DefaultWait > maxWait ? maxWait : InstanceQuery.DefaultWait;
        if (w.Count == 1 && Durations.TryParse(w[0], out var d) && d >= TimeSpan.Zero)
            return d > maxWait ? maxWait : d;
        _errors["wait"] = ["wait must be a duration such as 30s or 5m."];
        return TimeSpan.Zero;
    }

    /// <summary>Adds an error for <paramref name="name"/>.</summary>
    public void Fail(string name, string message) => _errors[name] = [message];
}
