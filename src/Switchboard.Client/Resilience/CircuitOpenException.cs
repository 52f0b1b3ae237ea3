namespace Switchboard.Client.Resilience;

/// <summary>The call was not sent: the chosen instance's circuit is open, and no other instance could take it.</summary>
public sealed class CircuitOpenException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CircuitOpenException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public CircuitOpenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CircuitOpenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The service.</summary>
    public string ServiceName { get; init; } = "";

    /// <summary>The instance whose circuit is open.</summary>
    public string InstanceId { get; init; } = "";

    /// <summary>How long until the circuit lets a probe through.</summary>
    public TimeSpan RetryAfter { get; init; }
}
