using Microsoft.AspNetCore.Http;

namespace Switchboard.Server.Http;

/// <summary>
/// 200 with prebuilt JSON bytes: status, <c>Content-Type: application/json</c>, <c>Content-Length</c>, the body. What
/// <c>Results.Bytes</c> answers without its file-result work (a logger, conditional and range headers, none of which a
/// cached read uses), which is most of a cached read's cost: the native and Consul reads, and every woken blocking query.
/// </summary>
internal sealed class JsonBytesResult(byte[] json) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json, 0, json.Length); // a client gone meanwhile: Kestrel drops the write
    }
}
