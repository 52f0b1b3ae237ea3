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
    TimeSpan ExpiryTtl)
{
    public static readonly HarnessSettings Full = new("full", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2), [1_000, 10_000, 100_000], 300, 10_000,
        TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(3), "10s", 10_000, TimeSpan.FromSeconds(10));

    public static readonly HarnessSettings Quick = Full with
    {
        Name = "quick",
        Duration = TimeSpan.FromSeconds(3),
        Scales = [1_000, 10_000],
        PropagationRounds = 50,
        FailoverLoad = TimeSpan.FromSeconds(6),
        ExpiryTtl = TimeSpan.FromSeconds(5),
    };

    public static HarnessSettings FromArgs(string[] args) => args.Contains("--quick") ? Quick : Full;

    /// <summary>Whether warm-up runs happen before the measured ones.</summary>
    public bool WarmsUp => Warmup > TimeSpan.Zero;
}
