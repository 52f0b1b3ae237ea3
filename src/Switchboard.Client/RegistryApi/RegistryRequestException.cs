using System.Net;

namespace Switchboard.Client.RegistryApi;

/// <summary>A registry rejected a request (4xx): the request is wrong, and another registry would reject it too.</summary>
public sealed class RegistryRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RegistryRequestException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public RegistryRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RegistryRequestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the registry answered.</summary>
    public HttpStatusCode StatusCode { get; init; }

    /// <summary>The registry's answer (ProblemDetails JSON for validation errors), cut to 2,000 characters.</summary>
    public string? ResponseBody { get; init; }
}
