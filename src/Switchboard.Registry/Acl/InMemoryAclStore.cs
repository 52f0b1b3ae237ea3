namespace Switchboard.Registry.Acl;

/// <summary>Keeps the ACL state in memory only: nothing survives a restart (<c>--dev</c>, tests).</summary>
public sealed class InMemoryAclStore : IAclStore
{
    private readonly Lock _gate = new();
    private AclState _state = AclState.Empty;

    /// <inheritdoc />
    public event EventHandler? Changed
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public Task<AclState> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult(_state);
    }

    /// <inheritdoc />
    public Task<bool> SaveAsync(AclState state, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            if (_state.Version != expectedVersion)
                return Task.FromResult(false);
            _state = state;
            return Task.FromResult(true);
        }
    }
}
