namespace Switchboard.Registry.Acl;

/// <summary>
/// Where the ACL state lives. The state is small, so it is loaded and saved whole; a save is atomic (all or nothing) and
/// conditional on the version it replaces, so two nodes of a shared store cannot overwrite each other's change.
/// </summary>
public interface IAclStore
{
    /// <summary>Raised when another node changed the state (shared stores only): reload it.</summary>
    event EventHandler? Changed;

    /// <summary>Reads the whole state; <see cref="AclState.Empty"/> when nothing was ever saved.</summary>
    /// <exception cref="Storage.EmbeddedStoreException">The embedded file is damaged or unreadable (names the path).</exception>
    /// <exception cref="Storage.RegistryStoreUnavailableException">A shared store cannot be reached.</exception>
    Task<AclState> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="state"/> if the stored version is still <paramref name="expectedVersion"/>.</summary>
    /// <returns>True when saved; false when the stored version moved on (reload and try again).</returns>
    /// <exception cref="Storage.RegistryStoreUnavailableException">The store cannot save now; nothing was saved.</exception>
    Task<bool> SaveAsync(AclState state, long expectedVersion, CancellationToken cancellationToken);
}
