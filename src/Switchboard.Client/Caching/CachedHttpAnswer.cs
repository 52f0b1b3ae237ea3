using System.Net;
using System.Net.Http.Headers;

namespace Switchboard.Client.Caching;

/// <summary>A cached 2xx answer of a typed client method: status, body and content type.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="Body">The body bytes.</param>
/// <param name="ContentType">The <c>Content-Type</c>, when there was one.</param>
internal sealed record CachedHttpAnswer(int StatusCode, byte[] Body, string? ContentType)
{
    /// <summary>The header a replayed answer carries.</summary>
    public const string Header = "X-Switchboard-Cache";

    /// <summary>Replayed while fresh.</summary>
    public const string Hit = "hit";

    /// <summary>Replayed because the call failed.</summary>
    public const string Stale = "stale";

    /// <summary>A new response replaying the answer for <paramref name="request"/>, marked with <see cref="Header"/>.</summary>
    public HttpResponseMessage ToResponse(HttpRequestMessage request, string how)
    {
        var content = new ByteArrayContent(Body);
        if (ContentType is not null && MediaTypeHeaderValue.TryParse(ContentType, out var type))
            content.Headers.ContentType = type;
        var response = new HttpResponseMessage((HttpStatusCode)StatusCode) { Content = content, RequestMessage = request };
        response.Headers.TryAddWithoutValidation(Header, how);
        return response;
    }
}
