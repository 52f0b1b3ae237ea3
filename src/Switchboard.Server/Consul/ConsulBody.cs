using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Server.Consul;

/// <summary>Reads a JSON request body with the registry's size limit (<see cref="Http.LimitedBody"/>), as Consul's decoder answers.</summary>
internal static class ConsulBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowTrailingCommas = false };

    /// <summary>The body's JSON value.</summary>
    /// <exception cref="ConsulDecodeException">The body is empty, too large or not JSON: Consul answers <c>Request decode failed: …</c>.</exception>
    public static async Task<JsonElement> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = await Http.LimitedBody.ReadAsync(request, cancellationToken).ConfigureAwait(false)
            ?? throw new ConsulDecodeException("http: request body too large");
        if (buffer.Length == 0 || buffer.GetBuffer().AsSpan(0, (int)buffer.Length).Trim(" \t\r\n"u8).IsEmpty)
            throw new ConsulDecodeException("EOF");
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), Options);
            if (!Http.JsonStrings.AllDecode(document.RootElement))
                throw new ConsulDecodeException("invalid UTF-8 or a lone surrogate in a string");
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new ConsulDecodeException($"invalid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}");
        }
    }
}
