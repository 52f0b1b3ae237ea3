namespace Switchboard.Consistency.Tests.Checking;

/// <summary>The kinds of anomaly the <see cref="Checker"/> looks for.</summary>
public enum AnomalyKind
{
    /// <summary>After healing, an instance's state is not what its last acknowledged write (or a write of unknown outcome) left.</summary>
    LostWrite,

    /// <summary>A read or event showed a version no register (acknowledged or unknown) had been invoked for, or whose register failed.</summary>
    PhantomRead,

    /// <summary>A client's sequential reads of one service on one node saw the index go backwards.</summary>
    IndexWentBack,

    /// <summary>A read, invoked after the node it was sent to acknowledged a deregistration, showed a version the deregistration had removed.</summary>
    Resurrected,

    /// <summary>A watcher received an event whose index is not above the previous one's, without being told to resynchronise.</summary>
    WatchOutOfOrder,

    /// <summary>A watcher's events passed the index an acknowledged register of its service was answered with, without that register's event, and it was not told to resynchronise.</summary>
    WatchMissed,
}
