using System.Globalization;
using System.Net;
using System.Text.Json;
using Switchboard.Client.Internal;
using Switchboard.Client.Security;

namespace Switchboard.Client.Configuration;

/// <summary>
/// One read of every key under a prefix through the Consul-compatible route
/// (<c>GET /v1/kv/{prefix}?recurse=true&amp;index=N&amp;wait=Ns</c>), so it works against Switchboard and a real Consul
/// alike. A failure is a <see cref="KeyValueReadException"/> with one readable line.
/// </summary>
internal sealed class ConsulKvReader(HttpClient http, RegistryToken token, TimeProvider time)
{
    /// <summary>Consul adds up to wait/16 to a blocking query; the request may take that plus this margin.</summary>
    private static readonly TimeSpan AnswerMargin = TimeSpan.FromSeconds(10);

    public async Task<KeyValueSnapshot> ReadAsync(Uri registry, string prefix, long index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var url = new Uri(registry, Path(prefix) + Query(index, wait));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (token.Current is { } secret)
            request.Headers.TryAddWithoutValidation("X-Consul-Token", secret);

        var limit = (index > 0 ? wait + wait / 16 : TimeSpan.Zero) + AnswerMargin;
        using var timeout = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        byte[] body;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new KeyValueReadException($"{registry}: no answer within {limit.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex) when (ex.InnerException is System.Security.Authentication.AuthenticationException tls)
        {
            // An untrusted certificate or a refused client certificate does not heal by retrying the same settings.
            throw new KeyValueReadException($"{registry}: the TLS handshake failed ({tls.Message}); check Switchboard:Tls", permanent: true);
        }
        catch (HttpRequestException ex)
        {
            throw new KeyValueReadException($"{registry}: {TransportErrors.Describe(ex, registry)}");
        }
        using (response)
        {
            var answeredIndex = IndexOf(response, registry);
            if (response.StatusCode == HttpStatusCode.NotFound)
                return new KeyValueSnapshot(answeredIndex, []);
            if (!response.IsSuccessStatusCode)
                throw new KeyValueReadException($"{registry}: {(int)response.StatusCode} {response.ReasonPhrase}{Detail(body)}", Permanent(response.StatusCode));
            return new KeyValueSnapshot(answeredIndex, Parse(body, registry));
        }
    }

    private static string Path(string prefix) =>
        "v1/kv/" + string.Join('/', prefix.Split('/').Select(Uri.EscapeDataString));

    private static string Query(long index, TimeSpan wait) => index > 0
        ? string.Create(CultureInfo.InvariantCulture, $"?recurse=true&index={index}&wait={(long)Math.Ceiling(wait.TotalSeconds)}s")
        : "?recurse=true";

    private static bool Permanent(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not HttpStatusCode.TooManyRequests and not HttpStatusCode.RequestTimeout;

    private static long IndexOf(HttpResponseMessage response, Uri registry)
    {
        if (response.Headers.TryGetValues("X-Consul-Index", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return index;
        if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound)
            throw new KeyValueReadException($"{registry}: the answer has no X-Consul-Index header; is this a Switchboard agent or Consul?");
        return 0;
    }

    private static string Detail(byte[] body)
    {
        // Consul answers errors in plain text, Switchboard's native routes in ProblemDetails: one short line either way.
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ").Trim();
        return text.Length == 0 ? "" : ": " + text;
    }

    private static List<KeyValueItem> Parse(byte[] body, Uri registry)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                throw new KeyValueReadException($"{registry}: the answer is not a list of keys");
            var items = new List<KeyValueItem>(document.RootElement.GetArrayLength());
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object
                    || !element.TryGetProperty("Key", out var key) || key.ValueKind != JsonValueKind.String)
                    throw new KeyValueReadException($"{registry}: an entry of the answer has no Key");
                byte[] value = [];
                if (element.TryGetProperty("Value", out var v) && v.ValueKind == JsonValueKind.String && !v.TryGetBytesFromBase64(out value!))
                    throw new KeyValueReadException($"{registry}: the Value of '{key.GetString()}' is not base64");
                items.Add(new KeyValueItem(key.GetString()!, value ?? []));
            }
            return items;
        }
        catch (JsonException)
        {
            throw new KeyValueReadException($"{registry}: the answer is not JSON (a proxy in the way?)");
        }
    }
}

/// <summary>A key and its raw value.</summary>
internal readonly record struct KeyValueItem(string Key, byte[] Value);

/// <summary>The keys under a prefix at one KV index of one registry.</summary>
internal sealed record KeyValueSnapshot(long Index, IReadOnlyList<KeyValueItem> Items);

/// <summary>A read that failed; <see cref="Permanent"/> when retrying the same request cannot help (a 4xx such as 403).</summary>
internal sealed class KeyValueReadException(string message, bool permanent = false) : Exception(message)
{
    public bool Permanent { get; } = permanent;
}
