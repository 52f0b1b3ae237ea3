using System.Net;

namespace Switchboard.Client.Calls;

/// <summary>The service answered with an error status, an answer that is not the expected JSON, or the connection failed.</summary>
public sealed class ServiceCallException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServiceCallException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ServiceCallException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ServiceCallException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The service.</summary>
    public string ServiceName { get; init; } = "";

    /// <summary>The HTTP status, when the service answered.</summary>
    public HttpStatusCode? StatusCode { get; init; }

    /// <summary>The beginning of the answer's body (up to 1,000 characters): ProblemDetails JSON when the service sends it.</summary>
    public string? ResponseExcerpt { get; init; }
}
