namespace Switchboard.Registry.Redis.Tests;

/// <summary>Polls a condition of a real, asynchronous system until it holds or a generous deadline passes (never an assertion on speed).</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
        => await TrueAsync(() => Task.FromResult(condition()), what, timeout);

    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            bool holds;
            try
            {
                holds = await condition().WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1));
            }
            catch (TimeoutException)
            {
                Assert.Fail($"Timed out waiting until {what} (the check itself never answered)");
                throw;
            }
            if (holds)
                return;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"Timed out waiting until {what}");
            await Task.Delay(25);
        }
    }
}
