namespace Switchboard.LoadHarness;

/// <summary>How long and how big each section of one run is: a full run, a quick run, or a smoke run that only checks the plumbing.</summary>
internal sealed record HarnessSettings(
    string Name,
    TimeSpan Duration,
    TimeSpan Warmup,
    int[] Scales,
    int PropagationRounds,
    int WriteInstances,
    TimeSpan FailoverLoad,
    TimeSpan FailoverKillAfter,
    string FailoverCheckInterval,
    int ExpiryInstances,
    TimeSpan ExpiryTtl,
    int ReplicationInstances,
    int FillInstances,
    int Subscribers)
{
    public static readonly HarnessSettings Full = new("full", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), [1_000, 10_000, 100_000, 1_000_000], 300, 10_000,
        TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(3), "10s", 10_000, TimeSpan.FromSeconds(10), 10_000, 1_000_000, 4_000);

    public static readonly HarnessSettings Quick = Full with
    {
        Name = "quick",
        Duration = TimeSpan.FromSeconds(3),
        Warmup = TimeSpan.FromSeconds(1),
        Scales = [1_000, 10_000, 100_000],
        PropagationRounds = 50,
        FailoverLoad = TimeSpan.FromSeconds(6),
        ExpiryTtl = TimeSpan.FromSeconds(5),
        ReplicationInstances = 1_000,
        FillInstances = 100_000,
        ReadRounds = 3,
    };

    /// <summary>Every section end to end with tiny sizes and 1 s runs: proves the plumbing, measures nothing worth reading.</summary>
    public static readonly HarnessSettings Smoke = Quick with
    {
        Name = "smoke",
        Duration = TimeSpan.FromSeconds(1),
        Warmup = TimeSpan.Zero,
        Scales = [200, 1_000],
        PropagationRounds = 10,
        WriteInstances = 200,
        FailoverLoad = TimeSpan.FromSeconds(3),
        FailoverKillAfter = TimeSpan.FromSeconds(1),
        FailoverCheckInterval = "1s",
        ExpiryInstances = 500,
        ExpiryTtl = TimeSpan.FromSeconds(2),
        ReplicationInstances = 100,
        FillInstances = 2_000,
        Subscribers = 20,
        ReadRounds = 1,
        Watchers = 40,
        WatcherRounds = 3,
        MaxFilledOnRedis = 200, // the 1,000 row is seeded, so the seeding is checked too
    };

    /// <summary>
    /// The largest scale filled through an agent on Redis; above it the scale section seeds Redis directly
    /// (<see cref="RedisSeed"/>): a million registrations through one agent time out on Redis on a 2-core machine.
    /// </summary>
    public int MaxFilledOnRedis { get; init; } = 100_000;

    /// <summary>How many alternating rounds the Consul reads section runs (its figures are the medians).</summary>
    public int ReadRounds { get; init; } = 5;

    /// <summary>How many watchers of one service the watchers section parks (blocking queries, then event-stream subscribers).</summary>
    public int Watchers { get; init; } = 10_000;

    /// <summary>How many changes of the watched service the watchers section times (its figures are over these).</summary>
    public int WatcherRounds { get; init; } = 20;

    /// <summary>
    /// The least time between two changes the watchers section sends: more than the agent's longest pause between two
    /// wake-ups of its subscribers (200 ms from 4,000 of them), so each change is timed on its own, not behind the
    /// previous one's batch.
    /// </summary>
    public TimeSpan WatcherChangeSpacing { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Which kinds of watchers the watchers section measures (<c>native</c>, <c>consul</c>, <c>events</c>); null: all.</summary>
    public IReadOnlySet<string>? WatcherKinds { get; init; }

    /// <summary>Whether warm-up runs happen before the measured ones.</summary>
    public bool WarmsUp => Warmup > TimeSpan.Zero;
}
