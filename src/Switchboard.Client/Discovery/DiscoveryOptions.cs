namespace Switchboard.Client.Discovery;

/// <summary>Settings of discovery and the endpoint cache (<c>Switchboard:Discovery</c>).</summary>
public sealed class DiscoveryOptions
{
    /// <summary>The default <see cref="WatchWait"/>.</summary>
    public static readonly TimeSpan DefaultWatchWait = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="RequestTimeout"/>.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default <see cref="RetryBaseDelay"/>.</summary>
    public static readonly TimeSpan DefaultRetryBaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>The default <see cref="RetryMaxDelay"/>.</summary>
    public static readonly TimeSpan DefaultRetryMaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>The default <see cref="RestartGrace"/>.</summary>
    public static readonly TimeSpan DefaultRestartGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When the registry restarts with an empty catalog (its index goes back and the service has no instance), how long
    /// the cache keeps serving the last known instances (marked stale) while they register again. Zero turns this off.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RestartGrace { get; set; } = DefaultRestartGrace;

    /// <summary>How long the registry holds a blocking query open when nothing changes (<c>?wait=</c>).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan WatchWait { get; set; } = DefaultWatchWait;

    /// <summary>How long one non-blocking registry request (register, heartbeat, first lookup) may take before the next registry is tried.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>The first delay before a watch retries after the registry failed; doubles (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryBaseDelay { get; set; } = DefaultRetryBaseDelay;

    /// <summary>The longest delay between two attempts to reach an unreachable registry.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = DefaultRetryMaxDelay;
}
