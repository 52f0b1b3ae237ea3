namespace Switchboard.Client.Discovery;

/// <summary>No source (registry, static URLs, DNS) knows the service at all.</summary>
public sealed class ServiceNotFoundException : ServiceUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public ServiceNotFoundException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ServiceNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ServiceNotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal static ServiceNotFoundException For(string serviceName, IReadOnlyList<string> sourcesTried) =>
        new($"Service '{serviceName}' was not found. Sources tried: {string.Join("; ", sourcesTried)}.")
        {
            ServiceName = serviceName,
            SourcesTried = sourcesTried,
        };
}
