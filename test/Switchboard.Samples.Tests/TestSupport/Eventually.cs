namespace Switchboard.Samples.Tests.TestSupport;

/// <summary>Polls a condition on real processes until it holds or a generous deadline passes (no timing is asserted).</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? within = null, Func<T, string>? describe = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + (within ?? TimeSpan.FromSeconds(90));
        T last;
        do
        {
            last = await probe();
            if (done(last))
                return last;
            await Task.Delay(250);
        }
        while (TimeProvider.System.GetUtcNow() < deadline);
        throw new Xunit.Sdk.XunitException($"Timed out waiting until {what}; last value: {(describe ?? Describe)(last)}");
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        System.Text.Json.JsonElement e => e.GetRawText(),
        _ => value.ToString() ?? "",
    };
}
