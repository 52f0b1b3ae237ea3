namespace Switchboard.Client.Discovery;

/// <summary>No instance of a service can take a call: none is known, none is healthy, or every source failed.</summary>
public class ServiceUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServiceUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ServiceUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ServiceUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The service.</summary>
    public string ServiceName { get; init; } = "";

    /// <summary>The sources consulted, with what each said.</summary>
    public IReadOnlyList<string> SourcesTried { get; init; } = [];

    /// <summary>The service is known but none of its instances is healthy.</summary>
    internal static ServiceUnavailableException NoHealthyInstance(string service, DiscoveryResult result) =>
        new($"Service '{service}' has no healthy instance ({result.Endpoints.Length} known, from {result.Source}).")
        {
            ServiceName = service,
            SourcesTried = result.SourcesTried,
        };
}
