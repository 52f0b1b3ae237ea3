namespace Switchboard.Registry.Storage;

/// <summary>
/// The store could not save a change because it cannot be reached now (a shared store's server is down, the connection
/// was lost or refused) or its disk refused the write (full, I/O error: the embedded store then keeps nothing of the
/// change): the change was not saved, or may not have been, and the caller should retry later. The message
/// is one readable line naming the store and the reason; the registry's HTTP APIs answer it with 503 and
/// <c>Retry-After</c>.
/// </summary>
public class RegistryStoreUnavailableException : IOException
{
    /// <summary>The retry delay suggested when the store names none.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Creates the exception.</summary>
    /// <param name="message">One readable line: which store, why, and what happened to the change.</param>
    /// <param name="innerException">The store's own failure, if any.</param>
    /// <param name="retryAfter">When to try again; <see cref="DefaultRetryAfter"/> when null.</param>
    public RegistryStoreUnavailableException(string message, Exception? innerException = null, TimeSpan? retryAfter = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter ?? DefaultRetryAfter;
    }

    /// <summary>How long the caller should wait before trying again.</summary>
    public TimeSpan RetryAfter { get; }
}
