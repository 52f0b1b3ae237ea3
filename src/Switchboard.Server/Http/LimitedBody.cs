using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Registration;

namespace Switchboard.Server.Http;

/// <summary>The one size-limited reader of request bodies, for the native and the Consul API alike.</summary>
internal static class LimitedBody
{
    /// <summary>Reads the whole body into memory, up to <see cref="RegistrationLimits.MaxBodyBytes"/>.</summary>
    /// <returns>The body (positioned at its end; read it through <see cref="MemoryStream.GetBuffer"/> and its length), or null when it is larger than the limit (declared or sent): the rest is not read.</returns>
    public static Task<MemoryStream?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
        => ReadAsync(request, RegistrationLimits.MaxBodyBytes, cancellationToken);

    /// <summary>Reads the whole body into memory, up to <paramref name="maxBytes"/> (a key/value's value).</summary>
    /// <returns>The body, or null when it is larger than <paramref name="maxBytes"/> (declared or sent): the rest is not read.</returns>
    public static async Task<MemoryStream?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return null;
        var buffer = new MemoryStream(); // grown as bytes arrive: a declared length alone reserves nothing
        if (!CanHaveBody(request))
            return buffer;
        var chunk = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    await buffer.DisposeAsync().ConfigureAwait(false);
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
            return buffer;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// Whether the request may carry a body at all: not when it declares <c>Content-Length: 0</c>, nor when an HTTP/1.1
    /// request has neither a length nor chunked encoding (a <c>PUT</c> sent without data by curl or wrk), which Kestrel
    /// reports through <see cref="IHttpRequestBodyDetectionFeature"/>. Such a request's body is read as empty without
    /// buffers or a read.
    /// </summary>
    public static bool CanHaveBody(HttpRequest request)
        => request.ContentLength != 0 && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false;
}
