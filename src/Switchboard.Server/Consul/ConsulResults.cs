using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Switchboard.Server.Http;

namespace Switchboard.Server.Consul;

/// <summary>Consul's answers: JSON (indented with <c>?pretty</c>), 200 with an empty body for writes, plain-text errors.</summary>
internal static class ConsulResults
{
    // Go's encoder leaves apostrophes and non-ASCII text as they are; so do these.
    private static readonly ConsulJsonContext CompactContext = new(SerializerOptions(indented: false));
    private static readonly ConsulJsonContext Pretty = new(SerializerOptions(indented: true));

    /// <summary>New options for a Consul serializer context: Go's escaping, indented or compact.</summary>
    public static JsonSerializerOptions SerializerOptions(bool indented)
        => new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = indented };

    /// <summary>The answer to a successful write: 200, empty body.</summary>
    public static IResult Written() => Results.Ok();

    /// <summary>A plain-text error, as Consul writes them.</summary>
    public static IResult Text(int statusCode, string message)
        => Results.Text(message, "text/plain; charset=utf-8", Encoding.UTF8, statusCode);

    /// <summary>400 with Consul's reason.</summary>
    public static IResult BadRequest(string message) => Text(StatusCodes.Status400BadRequest, message);

    /// <summary>404 with Consul's reason.</summary>
    public static IResult NotFound(string message) => Text(StatusCodes.Status404NotFound, message);

    /// <summary>500 with Consul's reason (Consul's answer to errors from its internals, such as a TTL update on a non-TTL check).</summary>
    public static IResult ServerError(string message) => Text(StatusCodes.Status500InternalServerError, message);

    /// <summary><paramref name="value"/> as JSON; indented (with a final newline) when the request has <c>?pretty</c>.</summary>
    public static IResult Json<T>(HttpContext context, T value, Func<ConsulJsonContext, JsonTypeInfo<T>> type)
        => Json(context, value, type(CompactContext), type(Pretty));

    /// <summary><paramref name="value"/> as the compact JSON <see cref="Json{T}(HttpContext, T, Func{ConsulJsonContext, JsonTypeInfo{T}})"/> answers without <c>?pretty</c>.</summary>
    public static byte[] Compact<T>(T value, Func<ConsulJsonContext, JsonTypeInfo<T>> type) => JsonSerializer.SerializeToUtf8Bytes(value, type(CompactContext));

    /// <summary>Bytes built by <see cref="Compact{T}(T, Func{ConsulJsonContext, JsonTypeInfo{T}})"/>, answered as that JSON.</summary>
    public static IResult Bytes(byte[] json) => new JsonBytesResult(json);

    /// <summary><paramref name="value"/> as JSON through another context's compact or indented type (<see cref="SerializerOptions"/>).</summary>
    public static IResult Json<T>(HttpContext context, T value, JsonTypeInfo<T> compact, JsonTypeInfo<T> pretty)
    {
        if (!context.Request.Query.ContainsKey("pretty"))
            return Bytes(JsonSerializer.SerializeToUtf8Bytes(value, compact));
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, pretty);
        return Bytes([.. bytes, (byte)'\n']);
    }
}
