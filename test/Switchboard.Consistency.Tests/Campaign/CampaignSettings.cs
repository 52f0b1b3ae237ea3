using System.Globalization;

namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>How long a campaign runs and how its random choices are seeded.</summary>
/// <param name="Seed">The seed of the clients' choices and the nemesis's schedule.</param>
/// <param name="Duration">The wall-clock budget of the operations (healing and the final reads come after).</param>
/// <param name="MaxOperations">The operation count that ends the campaign early.</param>
/// <param name="ClientCount">How many concurrent clients.</param>
public sealed record CampaignSettings(int Seed, TimeSpan Duration, int MaxOperations, int ClientCount)
{
    /// <summary>The seed when <c>SWITCHBOARD_HISTORY_SEED</c> is not set.</summary>
    public const int DefaultSeed = 16;

    /// <summary>The CI form (20 s of operations) unless <c>SWITCHBOARD_HISTORY_SEED</c> / <c>SWITCHBOARD_HISTORY_SECONDS</c> say otherwise.</summary>
    public static CampaignSettings FromEnvironment()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("SWITCHBOARD_HISTORY_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("SWITCHBOARD_HISTORY_SECONDS"), CultureInfo.InvariantCulture, out var t) && t > 0 ? t : 20;
        return new CampaignSettings(seed, TimeSpan.FromSeconds(seconds), MaxOperations: 5_000 * seconds, ClientCount: 5);
    }
}
