namespace Switchboard.Client.RegistryApi;

/// <summary>A registry answered with something that is not the registry API's answer (a proxy's page, truncated JSON).</summary>
internal sealed class InvalidRegistryResponseException : Exception
{
    public InvalidRegistryResponseException()
    {
    }

    public InvalidRegistryResponseException(string message)
        : base(message)
    {
    }

    public InvalidRegistryResponseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
