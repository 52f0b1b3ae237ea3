namespace Switchboard.Consistency.Tests.Histories;

/// <summary>What an operation in a history did.</summary>
public enum OperationKind
{
    /// <summary>POST /register: creates or replaces an instance with a new version.</summary>
    Register,

    /// <summary>DELETE /instances/{id}.</summary>
    Deregister,

    /// <summary>PUT /instances/{id}/heartbeat (renews the lease; changes nothing the model tracks).</summary>
    Heartbeat,

    /// <summary>GET /services/{name}/instances, plain or blocking.</summary>
    Read,

    /// <summary>One event a watcher received from its service's event stream.</summary>
    WatchEvent,

    /// <summary>A watcher was told to resynchronise (<c>event: error</c>) or lost its stream; order starts afresh.</summary>
    WatchResync,

    /// <summary>A fault the nemesis injected (kill, pause, ...); not checked, counted.</summary>
    Fault,
}
