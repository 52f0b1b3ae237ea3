namespace Switchboard.Cli.Tests;

/// <summary>Polls a condition on real processes until it holds or a generous deadline passes (no timing is asserted).</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? within = null)
    {
        var deadline = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        T last;
        do
        {
            last = await probe();
            if (done(last))
                return last;
            await Task.Delay(100);
        }
        while (DateTimeOffset.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"Timed out waiting for {what}; last value: {last}");
    }
}
