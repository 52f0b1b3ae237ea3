namespace Switchboard.Client.RegistryApi;

/// <summary>No configured registry answered (unreachable, timed out, 5xx, or an answer that was not the registry's JSON).</summary>
public sealed class RegistryUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RegistryUnavailableException()
        : this("No registry answered.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public RegistryUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The last registry's failure.</param>
    public RegistryUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The longest <c>Retry-After</c> a registry answered with (429 or 503: it is there but busy); null when none asked.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Each registry tried, with why it failed.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];
}
