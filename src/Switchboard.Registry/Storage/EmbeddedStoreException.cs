namespace Switchboard.Registry.Storage;

/// <summary>
/// The embedded store cannot open or read its data directory (unreadable or unwritable, read-only file system, held by
/// another agent, damaged files). The message is one readable line naming the path and the cause.
/// </summary>
public class EmbeddedStoreException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the path and the cause.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public EmbeddedStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}

/// <summary>A record of the journal or the snapshot failed its checksum or could not be read, and more data follows it
/// (so it is not the torn tail of a crash): the store refuses to start unless told to recover.</summary>
public sealed class StoreCorruptException : EmbeddedStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The damaged file.</param>
    /// <param name="offset">The byte offset of the damaged record in it.</param>
    /// <param name="reason">What is wrong with the record.</param>
    public StoreCorruptException(string filePath, long offset, string reason)
        : base($"{filePath}: corrupt record at offset {offset} ({reason}); start with --recover (Switchboard:Store:Embedded:Recover=true) to load what is valid and drop the rest")
    {
        FilePath = filePath;
        Offset = offset;
        Reason = reason;
    }

    /// <summary>The damaged file.</summary>
    public string FilePath { get; }

    /// <summary>The byte offset of the damaged record.</summary>
    public long Offset { get; }

    /// <summary>What is wrong with the record.</summary>
    public string Reason { get; }
}
