using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.KeyValues;
using Switchboard.Registry.KeyValues;
using Switchboard.Server.Acl;
using Switchboard.Server.Audit;
using Switchboard.Server.Http;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Consul;

/// <summary>
/// Consul's key/value API, <c>GET/PUT/DELETE /v1/kv/:key</c>, as Consul answers it: entries with base64 values, <c>?raw</c>,
/// <c>?recurse</c>, <c>?keys</c> with <c>?separator</c>, blocking queries, <c>?cas</c> and <c>?flags</c>, <c>true</c>/<c>false</c>
/// for writes, 404 with an empty body for a missing key, plain-text 400s. Sessions (<c>?acquire</c>, <c>?release</c>) are not
/// supported. <c>X-Consul-Index</c> here is the key/value index (plus one, as for the catalog: <see cref="ConsulIndex"/>).
/// </summary>
internal sealed class ConsulKvEndpoints(KeyValueService kv, ConsulNodeInfo node, ServerLimits limits)
{
    /// <summary>The route prefix the key follows.</summary>
    public const string RoutePrefix = "/v1/kv/";

    /// <summary><c>GET /v1/kv/:key</c>: one entry, every entry under a prefix (<c>?recurse</c>), or their keys (<c>?keys</c>).</summary>
    public async Task<IResult> GetAsync(HttpContext context)
    {
        var q = context.Request.Query;
        if (!ConsulQuery.TryParse(context.Request, node, out var query, out var error))
            return error!;
        var keys = q.ContainsKey("keys");
        var recurse = keys || q.ContainsKey("recurse");
        var sent = RawKey.Of(context, RoutePrefix, "key");
        if (!recurse && sent.Length == 0)
            return ConsulResults.BadRequest("Missing key name");
        var invalid = recurse ? KeyValueKeys.ValidatePrefix(sent, "key", out var key) : KeyValueKeys.ValidateKey(sent, out key);
        if (invalid is not null)
            return ConsulResults.BadRequest($"Invalid key: {invalid}");
        if (!recurse)
        {
            var check = KeyValueAcl.CheckRead(context, kv, key);
            if (check.SecretsOff)
                return ConsulAclResults.Forbidden(KeyValueAcl.SecretsOffMessage(kv));
            if (!check.Allowed)
                return ConsulAclResults.Forbidden(check.Decision);
        }
        else
        {
            _ = context.Authorizer(); // an unknown token is refused before the query parks
        }
        var index = await WaitAsync(context, query, key, recurse);
        ConsulIndex.Set(context.Response, index);
        if (keys)
            return Keys(context, key, q.TryGetValue("separator", out var s) ? s[0] : q.TryGetValue("seperator", out var old) ? old[0] : null);
        if (recurse)
        {
            var entries = KeyValueAcl.Readable(context, kv, kv.List(key), key, out var filtered);
            if (filtered)
                ConsulAcl.MarkFiltered(context);
            return entries.Count == 0 ? Results.NotFound() : Entries(context, entries);
        }
        if (kv.Get(key) is not { } entry)
            return Results.NotFound();
        if (q.ContainsKey("raw"))
        {
            context.Response.Headers.XContentTypeOptions = "nosniff";
            return Results.Bytes(entry.Value, "application/octet-stream");
        }
        return Entries(context, [entry]);
    }

    private IResult Keys(HttpContext context, string prefix, string? separator)
    {
        var entries = KeyValueAcl.Readable(context, kv, kv.List(prefix), prefix, out var filtered);
        if (filtered)
            ConsulAcl.MarkFiltered(context);
        if (entries.Count == 0 && prefix.Length > 0)
            return Results.NotFound(); // Consul: 404 for an empty prefix listing, an empty list for the root
        var keys = KeyValueKeys.Fold(entries.Select(e => e.Key), prefix, separator);
        return ConsulResults.Json(context, keys, static c => c.IReadOnlyListString);
    }

    private static IResult Entries(HttpContext context, IReadOnlyList<KeyValueEntry> entries)
        => ConsulResults.Json<IReadOnlyList<ConsulKvEntry>>(context, [.. entries.Select(ToConsul)], static c => c.IReadOnlyListConsulKvEntry);

    private static ConsulKvEntry ToConsul(KeyValueEntry e)
        => new(0, e.Key, e.Flags, e.Value.Length == 0 ? null : e.Value, ConsulIndex.ToConsul(e.CreateIndex), ConsulIndex.ToConsul(e.ModifyIndex));

    /// <summary>Blocks (when asked) until a change to the key or under the prefix past the index; returns the key/value index to answer with.</summary>
    private async Task<long> WaitAsync(HttpContext context, ConsulQuery query, string key, bool prefix)
    {
        if (query.Index is not { } index)
            return kv.WatchIndex(key, prefix);
        using (limits.BlockingQueries.Acquire(context))
            return await kv.WaitAsync(key, prefix, index, query.Wait, context.RequestAborted);
    }

    /// <summary><c>PUT /v1/kv/:key?flags=&amp;cas=</c>: stores the body as the value; answers <c>true</c>, or <c>false</c> when <c>cas</c> did not hold.</summary>
    public async Task<IResult> PutAsync(HttpContext context)
    {
        var q = context.Request.Query;
        if (!ConsulQuery.TryParse(context.Request, node, out _, out var error))
            return error!;
        var sent = RawKey.Of(context, RoutePrefix, "key");
        AuditTarget.Set(context, sent); // the key as sent, for a write refused before it is checked
        if (sent.Length == 0)
            return ConsulResults.BadRequest("Missing key name");
        if (Conflicting(context, "cas", "acquire", "release") is { } conflict)
            return conflict;
        if (q.ContainsKey("acquire") || q.ContainsKey("release"))
            return ConsulResults.BadRequest("Switchboard does not support sessions (?acquire, ?release); use ?cas instead");
        if (KeyValueKeys.ValidateKey(sent, out var key) is { } invalid)
            return ConsulResults.BadRequest($"Invalid key: {invalid}");
        AuditTarget.Set(context, key);
        long flags = 0;
        if (q.TryGetValue("flags", out var f) && !TryParse(f[0], out flags))
            return ConsulResults.BadRequest($"Invalid flags: '{f[0]}' is not an integer from 0 to {long.MaxValue}");
        long? cas = null;
        if (q.TryGetValue("cas", out var c))
        {
            if (!TryParse(c[0], out var consulCas))
                return ConsulResults.BadRequest($"Invalid cas: '{c[0]}' is not an integer from 0 to {long.MaxValue}");
            cas = ConsulIndex.CasToStore(consulCas);
        }
        if (context.Request.ContentLength > KeyValueLimits.MaxValueBytes)
            return TooLarge(context.Request.ContentLength.Value);
        context.Authorizer().KeyWrite(key).ThrowIfDenied();
        using var body = await LimitedBody.ReadAsync(context.Request, KeyValueLimits.MaxValueBytes, context.RequestAborted);
        if (body is null)
            return TooLarge(null);
        KvWriteResult result;
        try
        {
            result = await kv.PutAsync(key, body.ToArray(), flags, cas, context.RequestAborted);
        }
        catch (KeyValueStoreFullException ex)
        {
            return ConsulResults.Text(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
        ConsulIndex.Set(context.Response, result.Index);
        return ConsulResults.Json(context, result.Applied, static j => j.Boolean);
    }

    /// <summary><c>DELETE /v1/kv/:key?recurse&amp;cas=</c>: deletes the key (or every key under it); answers <c>true</c>, or <c>false</c> when <c>cas</c> did not hold.</summary>
    public async Task<IResult> DeleteAsync(HttpContext context)
    {
        var q = context.Request.Query;
        if (!ConsulQuery.TryParse(context.Request, node, out _, out var error))
            return error!;
        if (Conflicting(context, "recurse", "cas") is { } conflict)
            return conflict;
        var recurse = q.ContainsKey("recurse");
        var sent = RawKey.Of(context, RoutePrefix, "key");
        AuditTarget.Set(context, sent);
        if (!recurse && sent.Length == 0)
            return ConsulResults.BadRequest("Missing key name");
        var invalid = recurse ? KeyValueKeys.ValidatePrefix(sent, "key", out var key) : KeyValueKeys.ValidateKey(sent, out key);
        if (invalid is not null)
            return ConsulResults.BadRequest($"Invalid key: {invalid}");
        AuditTarget.Set(context, key);
        long? cas = null;
        if (q.TryGetValue("cas", out var c))
        {
            if (!TryParse(c[0], out var consulCas))
                return ConsulResults.BadRequest($"Invalid cas: '{c[0]}' is not an integer from 0 to {long.MaxValue}");
            cas = ConsulIndex.CasToStore(consulCas);
        }
        var acl = context.Authorizer();
        (recurse ? acl.KeyWritePrefix(key) : acl.KeyWrite(key)).ThrowIfDenied();
        var result = await kv.DeleteAsync(key, recurse, cas, context.RequestAborted);
        ConsulIndex.Set(context.Response, result.Index);
        return ConsulResults.Json(context, result.Applied, static j => j.Boolean);
    }

    /// <summary>Consul's refusal of flags that do not compose (<c>?cas</c> with <c>?acquire</c>, <c>?recurse</c> with <c>?cas</c>).</summary>
    private static IResult? Conflicting(HttpContext context, params string[] flags)
    {
        var query = context.Request.Query;
        return flags.Count(query.ContainsKey) > 1
            ? ConsulResults.BadRequest("Conflicting flags: " + context.Request.QueryString.Value?.TrimStart('?'))
            : null;
    }

    private static bool TryParse(string? value, out long parsed)
        => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out parsed);

    /// <summary>Consul's 413 for a value over the limit.</summary>
    private static IResult TooLarge(long? declared)
        => ConsulResults.Text(StatusCodes.Status413PayloadTooLarge, declared is { } length
            ? $"Request body({length} bytes) too large, max size: {KeyValueLimits.MaxValueBytes} bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size."
            : $"Request body too large, max size: {KeyValueLimits.MaxValueBytes} bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.");
}
