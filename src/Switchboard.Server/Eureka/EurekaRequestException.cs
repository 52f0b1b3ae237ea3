using Microsoft.AspNetCore.Http;

namespace Switchboard.Server.Eureka;

/// <summary>A Eureka request refused for its input: the field named (as Eureka's body names it) and why.</summary>
/// <param name="field">The field, e.g. <c>instance.hostName</c>; <c>body</c> for the body as a whole.</param>
/// <param name="message">The reason, one sentence naming the field.</param>
/// <param name="statusCode">400, or 413 for a body over the limit.</param>
internal sealed class EurekaRequestException(string field, string message, int statusCode = StatusCodes.Status400BadRequest) : Exception(message)
{
    /// <summary>The field.</summary>
    public string Field { get; } = field;

    /// <summary>The HTTP status to answer.</summary>
    public int StatusCode { get; } = statusCode;
}
