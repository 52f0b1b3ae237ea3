namespace Switchboard.Registry.Storage;

/// <summary>The <c>LOCK</c> file held while a store has the data directory open.</summary>
internal static class DataDirectoryLock
{
    private const int SharingViolation = unchecked((int)0x80070020); // Windows

    /// <summary>Opens and locks <c>LOCK</c>.</summary>
    /// <exception cref="EmbeddedStoreException">Another agent holds it, or the directory cannot be written (read-only file system, no permission).</exception>
    public static FileStream Acquire(string directory)
    {
        var path = Path.Combine(directory, DataFiles.LockName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsHeldByAnother(ex))
        {
            throw new EmbeddedStoreException($"the data directory {directory} is in use by another Switchboard agent ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddedStoreException($"cannot use the data directory {directory}: cannot open {path} for writing: {ex.Message}", ex);
        }
    }

    // On Unix the lock is flock(LOCK_EX | LOCK_NB) and a held lock fails with EWOULDBLOCK (the errno is the HResult);
    // a read-only file system (EROFS) or a missing permission (EACCES) must not read as "in use".
    private static bool IsHeldByAnother(IOException ex)
        => ex.HResult == SharingViolation
            || (OperatingSystem.IsLinux() && ex.HResult == 11)
            || (OperatingSystem.IsMacOS() && ex.HResult == 35);
}
