using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchboard.Api;
using Switchboard.Json;
using Switchboard.KeyValues;
using Switchboard.Registry.KeyValues;
using Switchboard.Server.Acl;
using Switchboard.Server.Audit;
using Switchboard.Server.Http;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Api;

/// <summary>
/// The native key/value routes under <c>/service-discovery/kv</c> (docs/kv.md): entries as snake_case JSON with base64
/// values, raw bytes with <c>?raw</c>, blocking lists, <c>?cas</c> writes answered 409 on a mismatch, ProblemDetails naming
/// the field at fault. <c>X-Switchboard-Index</c> on every answer is the key/value index.
/// </summary>
internal static class KeyValueEndpoints
{
    private const string RoutePrefix = RegistryRoutes.Prefix + "/kv/";

    /// <summary>Maps the routes on the native group.</summary>
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/kv", ListAsync);
        api.MapGet("/kv/{**key}", GetAsync);
        api.MapPut("/kv/{**key}", PutAsync).AddEndpointFilter(StoreUnavailableFilter.Instance);
        api.MapDelete("/kv/{**key}", DeleteAsync).AddEndpointFilter(StoreUnavailableFilter.Instance);
    }

    /// <summary><c>GET /service-discovery/kv/{key}</c>: one entry (JSON, or its bytes with <c>?raw</c>); blocks with <c>?index=</c>.</summary>
    internal static async Task<IResult> GetAsync(HttpContext context, KeyValueService kv, ServerLimits limits)
    {
        var query = new KeyValueQuery(context.Request.Query);
        var raw = query.Flag("raw");
        var index = query.Number("index");
        var wait = query.Wait(kv.MaxWait);
        if (KeyValueKeys.ValidateKey(RawKey.Of(context, RoutePrefix, "key"), out var key) is { } invalid)
            query.Fail("key", invalid);
        if (query.Errors.Count > 0)
            return ProblemResults.Invalid(query.Errors);
        if (!NativeAcl.TryAuthorize(context, out _, out var notFound))
            return notFound;
        var check = KeyValueAcl.CheckRead(context, kv, key);
        if (check.SecretsOff)
            return SecretsOff(kv);
        if (!check.Allowed)
            return NativeAcl.Forbidden(check.Decision);
        var (refusal, watched) = await WaitAsync(context, kv, limits, key, prefix: false, index, wait);
        if (refusal is not null)
            return refusal;
        SetIndex(context, watched);
        if (kv.Get(key) is not { } entry)
            return ProblemResults.NotFound($"Key '{key}' does not exist.");
        if (raw)
            return TypedResults.Bytes(entry.Value, "application/octet-stream");
        return TypedResults.Json(ToResponse(entry), SwitchboardJsonContext.Default.KeyValueResponse);
    }

    /// <summary><c>GET /service-discovery/kv?prefix=&amp;keys=true&amp;separator=</c>: the entries (or keys) under a prefix the token may read; blocks with <c>?index=</c>.</summary>
    internal static async Task<IResult> ListAsync(HttpContext context, KeyValueService kv, ServerLimits limits)
    {
        var query = new KeyValueQuery(context.Request.Query);
        var keys = query.Flag("keys");
        var separator = query.Text("separator");
        var index = query.Number("index");
        var wait = query.Wait(kv.MaxWait);
        if (KeyValueKeys.ValidatePrefix(query.Text("prefix"), "prefix", out var prefix) is { } invalid)
            query.Fail("prefix", invalid);
        if (separator is not null && !keys)
            query.Fail("separator", "separator applies only with keys=true.");
        if (query.Errors.Count > 0)
            return ProblemResults.Invalid(query.Errors);
        if (!NativeAcl.TryAuthorize(context, out _, out var notFound))
            return notFound;
        var (refusal, watched) = await WaitAsync(context, kv, limits, prefix, prefix: true, index, wait);
        if (refusal is not null)
            return refusal;
        SetIndex(context, watched);
        var entries = KeyValueAcl.Readable(context, kv, kv.List(prefix), prefix, out _);
        if (keys)
            return TypedResults.Json(KeyValueKeys.Fold(entries.Select(e => e.Key), prefix, separator), SwitchboardJsonContext.Default.IReadOnlyListString);
        return TypedResults.Json<IReadOnlyList<KeyValueResponse>>([.. entries.Select(ToResponse)], SwitchboardJsonContext.Default.IReadOnlyListKeyValueResponse);
    }

    /// <summary><c>PUT /service-discovery/kv/{key}?cas=&amp;flags=</c>: the body (raw bytes) becomes the value.</summary>
    internal static async Task<IResult> PutAsync(HttpContext context, KeyValueService kv)
    {
        var query = new KeyValueQuery(context.Request.Query);
        var cas = query.Number("cas");
        var flags = query.Number("flags") ?? 0;
        var sent = RawKey.Of(context, RoutePrefix, "key");
        AuditTarget.Set(context, sent); // the key as sent, for a write refused before it is checked
        if (KeyValueKeys.ValidateKey(sent, out var key) is { } invalid)
            query.Fail("key", invalid);
        if (query.Errors.Count > 0)
            return ProblemResults.Invalid(query.Errors);
        AuditTarget.Set(context, key);
        if (context.Request.ContentLength > KeyValueLimits.MaxValueBytes)
            return TooLarge();
        if (NativeAcl.Deny(context, static (acl, k) => acl.KeyWrite(k), key) is { } denied)
            return denied;
        using var body = await LimitedBody.ReadAsync(context.Request, KeyValueLimits.MaxValueBytes, context.RequestAborted);
        if (body is null)
            return TooLarge();
        KvWriteResult result;
        try
        {
            result = await kv.PutAsync(key, body.ToArray(), flags, cas, context.RequestAborted);
        }
        catch (KeyValueStoreFullException ex)
        {
            return ProblemResults.Unavailable("The key/value store is full.", ex.Message);
        }
        SetIndex(context, result.Index);
        if (!result.Applied)
            return CasMismatch(key, cas!.Value);
        return TypedResults.Json(new KeyValueWriteResponse(key, result.Index), SwitchboardJsonContext.Default.KeyValueWriteResponse);
    }

    /// <summary><c>DELETE /service-discovery/kv/{key}?recurse=true&amp;cas=</c>: 204, or 409 when <c>cas</c> did not hold.</summary>
    internal static async Task<IResult> DeleteAsync(HttpContext context, KeyValueService kv)
    {
        var query = new KeyValueQuery(context.Request.Query);
        var recurse = query.Flag("recurse");
        var cas = query.Number("cas");
        var sent = RawKey.Of(context, RoutePrefix, "key");
        AuditTarget.Set(context, sent);
        var invalid = recurse ? KeyValueKeys.ValidatePrefix(sent, "key", out var key) : KeyValueKeys.ValidateKey(sent, out key);
        if (invalid is not null)
            query.Fail("key", invalid);
        if (recurse && cas is not null)
            query.Fail("cas", "cas cannot be combined with recurse=true.");
        if (query.Errors.Count > 0)
            return ProblemResults.Invalid(query.Errors);
        AuditTarget.Set(context, key);
        if (NativeAcl.Deny(context, recurse ? static (acl, k) => acl.KeyWritePrefix(k) : static (acl, k) => acl.KeyWrite(k), key) is { } denied)
            return denied;
        var result = await kv.DeleteAsync(key, recurse, cas, context.RequestAborted);
        SetIndex(context, result.Index);
        return result.Applied ? TypedResults.NoContent() : CasMismatch(key, cas!.Value);
    }

    private static async Task<(IResult? Refusal, long Index)> WaitAsync(HttpContext context, KeyValueService kv, ServerLimits limits, string key, bool prefix, long? index, TimeSpan wait)
    {
        if (index is not { } seen)
            return (null, kv.WatchIndex(key, prefix));
        // A blocking query holds a slot while it is parked: per client and in all (429 / 503 past them), shared with the catalog's.
        if (!limits.BlockingQueries.TryAcquire(context, out var slot, out var refusal))
            return (refusal!.Problem(context), 0);
        using (slot)
            return (null, await kv.WaitAsync(key, prefix, seen, wait, context.RequestAborted));
    }

    private static KeyValueResponse ToResponse(KeyValueEntry e) => new(e.Key, e.Value, e.Flags, e.CreateIndex, e.ModifyIndex);

    private static void SetIndex(HttpContext context, long index)
        => context.Response.Headers[RegistryRoutes.IndexHeader] = index.ToString(CultureInfo.InvariantCulture);

    private static IResult CasMismatch(string key, long cas)
    {
        var message = cas == 0
            ? $"cas=0 writes only a key that does not exist, and '{key}' exists."
            : $"cas={cas} does not match the modify index of '{key}' (it changed, or does not exist): read it again and retry.";
        return ProblemResults.Invalid(new() { ["cas"] = [message] }, StatusCodes.Status409Conflict);
    }

    private static IResult TooLarge()
        => ProblemResults.Invalid(new() { ["value"] = [$"The value (the request body) must be at most {KeyValueLimits.MaxValueBytes} bytes."] }, StatusCodes.Status413PayloadTooLarge);

    private static IResult SecretsOff(KeyValueService kv)
        => TypedResults.Problem(KeyValueAcl.SecretsOffMessage(kv), statusCode: StatusCodes.Status403Forbidden, title: "Secrets need ACLs.");
}
