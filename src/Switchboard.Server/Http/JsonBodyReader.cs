using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Switchboard.Registration;

namespace Switchboard.Server.Http;

/// <summary>Reads a JSON request body with a size limit, turning every failure into field-named errors.</summary>
internal static class JsonBodyReader
{
    /// <summary>The outcome of reading a body: a value, or the errors to answer with and the status code.</summary>
    public readonly record struct Outcome<T>(T? Value, Dictionary<string, string[]>? Errors, int StatusCode);

    public static async Task<Outcome<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, bool optional, CancellationToken cancellationToken)
    {
        if (!LimitedBody.CanHaveBody(request))
            return Empty<T>(optional); // the common heartbeat: no body, no buffers
        using var buffer = await LimitedBody.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
            return TooLarge<T>();
        if (buffer.Length == 0)
            return Empty<T>(optional);
        if (request.ContentType is { } contentType && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            return new Outcome<T>(default, new() { ["body"] = [$"Content-Type must be application/json, not '{contentType}'."] }, 415);
        try
        {
            var value = JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), typeInfo);
            return value is null
                ? new Outcome<T>(default, new() { ["body"] = ["The body must be a JSON object, not null."] }, 400)
                : new Outcome<T>(value, null, 200);
        }
        catch (JsonException ex)
        {
            var field = FieldName(ex.Path);
            var reason = ex.Message.StartsWith("must ", StringComparison.Ordinal)
                ? $"{field} {ex.Message}"
                : field == "body"
                    ? $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})."
                    : $"{field} is malformed or of the wrong type (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}).";
            return new Outcome<T>(default, new() { [field] = [reason] }, 400);
        }
    }

    /// <summary>Turns a JSON path such as <c>$.check.interval</c> or <c>$.tags[2]</c> into <c>check.interval</c> / <c>tags</c>.</summary>
    public static string FieldName(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
            return "body";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        if (bracket == 0)
            return "body";
        return bracket > 0 ? field[..bracket] : field;
    }

    private static Outcome<T> Empty<T>(bool optional) => optional
        ? new Outcome<T>(default, null, 200)
        : new Outcome<T>(default, new() { ["body"] = ["A JSON body is required."] }, 400);

    private static Outcome<T> TooLarge<T>()
        => new(default, new() { ["body"] = [$"The body must be at most {RegistrationLimits.MaxBodyBytes} bytes."] }, 413);
}
