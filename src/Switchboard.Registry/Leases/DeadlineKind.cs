namespace Switchboard.Registry.Leases;

/// <summary>What happens when a deadline passes.</summary>
internal enum DeadlineKind
{
    /// <summary>The lease ran out: the instance leaves the catalog.</summary>
    Lease,

    /// <summary>A TTL check got no report in time: the instance turns critical.</summary>
    CheckTtl,

    /// <summary>The instance has been critical for its deregister-after time: it leaves the catalog.</summary>
    Reap,
}
