namespace Switchboard.Client.Calls;

/// <summary>The call did not complete within its total timeout (or its last attempt within the attempt timeout).</summary>
public sealed class ServiceTimeoutException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ServiceTimeoutException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ServiceTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ServiceTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The service.</summary>
    public string ServiceName { get; init; } = "";

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; init; }
}
