using System.Net;

namespace Switchboard.Client.RegistryApi;

/// <summary>A registry answered 429 or 503 with <c>Retry-After</c>: it is there but asks to be left alone that long.</summary>
internal sealed class RegistryBusyException(string message, HttpStatusCode status, TimeSpan retryAfter) : HttpRequestException(message, null, status)
{
    /// <summary>How long the registry asked to wait.</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
