using Microsoft.AspNetCore.Builder;

namespace Switchboard.Client.Tests.TestSupport;

/// <summary>A loopback app that registers itself as <c>gravity-optimizer</c> through <c>AddSwitchboard</c> (health at <c>/health</c>), and a bounded wait for what other processes do.</summary>
internal static class SelfRegisteringService
{
    public const string Name = "gravity-optimizer";

    /// <summary>Starts the app with the client configuration <paramref name="config"/> plus registration settings.</summary>
    public static Task<TestServer> StartAsync(Dictionary<string, string?> config, TimeSpan? ttl = null) =>
        TestServer.StartAsync(app => app.MapSwitchboardHealth(), builder =>
        {
            config["Switchboard:Registration:Enabled"] = "true";
            config["Switchboard:Registration:ServiceName"] = Name;
            config["Switchboard:Registration:HealthCheckPath"] = "/health";
            if (ttl is { } lease)
                config["Switchboard:Registration:Ttl"] = lease.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
            builder.Configuration.AddInMemoryCollection(config);
            builder.Services.AddSwitchboard();
        });

    /// <summary>Polls <paramref name="condition"/> until it holds (about six seconds at most).</summary>
    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        // Waits for another process to act (bounded); not a wait for time to pass.
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
                return;
            await Task.Delay(20);
        }
        Assert.Fail($"timed out waiting until {what}");
    }
}
