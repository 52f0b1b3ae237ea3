using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Acl;

/// <summary><c>acl.json</c> failed its checksum or cannot be read: the agent refuses to start rather than run with lost tokens.</summary>
public sealed class AclStoreCorruptException : EmbeddedStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The damaged file.</param>
    /// <param name="reason">What is wrong with it.</param>
    public AclStoreCorruptException(string filePath, string reason)
        : base($"{filePath}: the ACL state is damaged ({reason}); restore the file from a backup, or move it away to start without tokens and policies and bootstrap again")
    {
        FilePath = filePath;
    }

    /// <summary>The damaged file.</summary>
    public string FilePath { get; }
}
