using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Switchboard.Api;
using Switchboard.Json;

namespace Switchboard.Cli.Commands;

/// <summary>The CLI's calls to the native key/value routes under <c>/service-discovery/kv</c>.</summary>
internal sealed partial class RegistryApiClient
{
    /// <summary>One entry and the key's watch index; a null entry when the key does not exist. Blocks with <paramref name="index"/>.</summary>
    public async Task<(KeyValueResponse? Entry, long Index)> KeyValueAsync(string key, long? index, TimeSpan? wait, CancellationToken ct)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, RegistryRoutes.KeyValue(key) + Blocking("?", index, wait)), ct);
        var at = IndexOf(response);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return (null, at);
        return (await ReadAsync(response, SwitchboardJsonContext.Default.KeyValueResponse, ct), at);
    }

    /// <summary>The entries under <paramref name="prefix"/> the token may read, and the prefix's watch index. Blocks with <paramref name="index"/>.</summary>
    public async Task<(IReadOnlyList<KeyValueResponse> Entries, long Index)> KeyValuesAsync(string prefix, long? index, TimeSpan? wait, CancellationToken ct)
    {
        var path = $"{RegistryRoutes.KeyValues}?prefix={Uri.EscapeDataString(prefix)}" + Blocking("&", index, wait);
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, path), ct);
        return (await ReadAsync(response, SwitchboardJsonContext.Default.IReadOnlyListKeyValueResponse, ct), IndexOf(response));
    }

    /// <summary>The keys under <paramref name="prefix"/>, folded after <paramref name="separator"/> as Consul's <c>?keys&amp;separator=</c>.</summary>
    public Task<IReadOnlyList<string>> KeyValueKeysAsync(string prefix, string? separator, CancellationToken ct)
        => GetAsync($"{RegistryRoutes.KeyValues}?prefix={Uri.EscapeDataString(prefix)}&keys=true"
            + (string.IsNullOrEmpty(separator) ? "" : "&separator=" + Uri.EscapeDataString(separator)), SwitchboardJsonContext.Default.IReadOnlyListString, ct);

    /// <summary>Stores <paramref name="value"/>; a <c>cas</c> that does not hold is a <see cref="CliException"/> naming it.</summary>
    public async Task<KeyValueWriteResponse> PutKeyValueAsync(string key, byte[] value, long? flags, long? cas, CancellationToken ct)
    {
        var query = new List<string>();
        if (flags is { } f)
            query.Add("flags=" + f.ToString(CultureInfo.InvariantCulture));
        if (cas is { } c)
            query.Add("cas=" + c.ToString(CultureInfo.InvariantCulture));
        var content = new ByteArrayContent(value);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Put, RegistryRoutes.KeyValue(key) + (query.Count > 0 ? "?" + string.Join('&', query) : "")) { Content = content };
        using var response = await SendAsync(request, ct);
        await CasConflictAsync(response, ct);
        return await ReadAsync(response, SwitchboardJsonContext.Default.KeyValueWriteResponse, ct);
    }

    /// <summary>Deletes a key, or every key under it with <paramref name="recurse"/>; a missing key is not an error (as Consul).</summary>
    public async Task DeleteKeyValueAsync(string key, bool recurse, long? cas, CancellationToken ct)
    {
        var query = recurse ? "?recurse=true" : cas is { } c ? "?cas=" + c.ToString(CultureInfo.InvariantCulture) : "";
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, RegistryRoutes.KeyValue(key) + query), ct);
        await CasConflictAsync(response, ct);
        await EnsureSuccessAsync(response, ct);
    }

    private static string Blocking(string first, long? index, TimeSpan? wait)
        => index is { } i
            ? string.Create(CultureInfo.InvariantCulture, $"{first}index={i}&wait={(long)(wait ?? TimeSpan.FromMinutes(1)).TotalSeconds}s")
            : "";

    private static long IndexOf(HttpResponseMessage response)
        => response.Headers.TryGetValues(RegistryRoutes.IndexHeader, out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : 0;

    private static async Task CasConflictAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.StatusCode != HttpStatusCode.Conflict)
            return;
        try
        {
            await EnsureSuccessAsync(response, ct);
        }
        catch (CliException ex)
        {
            // "the registry answered 409 Conflict: cas=5 does not match ..." -> "cas=5 does not match ..."
            var at = ex.Message.IndexOf(": ", StringComparison.Ordinal);
            throw new CliException(at >= 0 ? ex.Message[(at + 2)..] : ex.Message);
        }
    }
}
