using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Redis;

/// <summary>Redis cannot be reached or refused the connection; the message is one readable line naming the problem.</summary>
public sealed class RedisStoreUnavailableException : RegistryStoreUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public RedisStoreUnavailableException(string message, Exception? innerException = null, TimeSpan? retryAfter = null)
        : base(message, innerException, retryAfter)
    {
    }
}
