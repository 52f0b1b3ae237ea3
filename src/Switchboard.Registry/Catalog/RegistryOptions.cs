using System.ComponentModel.DataAnnotations;
using Switchboard.Registry.Health;

namespace Switchboard.Registry.Catalog;

/// <summary>Settings of the catalog engine, bound from <c>Switchboard:Registry</c>.</summary>
public sealed class RegistryOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Registry";

    /// <summary>The lease given to a registration that names none (seeds 000 and 001: 300 s).</summary>
    /// <value>The default value is 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Extra time given to every lease loaded from the store at start, so a restart does not mass-expire instances before they can heartbeat.</summary>
    /// <value>The default value is 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RestoreGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether a large load at start (at least 32 MiB of stored data) runs with garbage collections held off: a process-wide
    /// no-GC region, so while it lasts other code in the process cannot set <c>GCSettings.LatencyMode</c> or start its own
    /// region. Turn it off when embedding the registry in an application that does either at start.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool PauseCollectionsDuringLoad { get; set; } = true;

    /// <summary>
    /// Whether that pause also asks Linux for transparent huge pages for the memory the load fills (when the kernel's
    /// policy is <c>madvise</c>; with <c>always</c> it has them anyway, with <c>never</c> not at all). Turn it off where
    /// the kernel's memory compaction for huge pages (its <c>defrag</c> setting) stalls the host.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool HugePagesDuringLoad { get; set; } = true;

    /// <summary>How often expired leases, TTL checks and long-critical instances are swept.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The most health-check probes running at once; each holds one socket while it runs. A probe of a hanging target
    /// holds its slot for its timeout, so N checks of timeout T and interval I need about N * T / (T + I) slots when all
    /// of them hang (at most N). Past the limit, probes of checks that answer go first and late probes are logged.
    /// </summary>
    /// <value>The default value is 4,096 (with the probes' sockets well below a 20,000 file-descriptor limit).</value>
    [Range(1, 16_384)]
    public int MaxConcurrentChecks { get; set; } = 4_096;

    /// <summary>The longest a blocking query may wait.</summary>
    /// <value>The default value is 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The most instances the catalog holds; registrations past it are refused.</summary>
    /// <value>The default value is 1,000,000.</value>
    [Range(1, 100_000_000)]
    public int MaxInstances { get; set; } = 1_000_000;

    /// <summary>Where HTTP and TCP checks may point (<c>Switchboard:Registry:Checks</c>).</summary>
    public CheckTargetOptions Checks { get; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => Checks.Validate(validationContext);
}
