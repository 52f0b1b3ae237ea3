using static Microsoft.Playwright.Assertions;

namespace Switchboard.Ui.Tests;

/// <summary>The page says plainly when the agent goes away, and picks up by itself when it is back on the same address.</summary>
public sealed class ReconnectTests(BrowserFixture browser)
{
    [Fact]
    public async Task WhenTheAgentStops_ThePageSaysItIsUnreachable_AndReconnectsWhenItIsBack()
    {
        var options = new AgentProcess.Options { Port = Ports.Free() };
        var first = await AgentProcess.StartAsync(["--dev"], options);
        ServiceProcess? second = null;
        try
        {
            await new AgentApi(first).RegisterAsync(new { service_name = "before", host = "127.0.0.1", port = 7701 });
            await using var dashboard = await Dashboard.OpenAsync(browser, first.BaseUri);
            await dashboard.GotoAsync("/ui/services");
            await Expect(dashboard.Page.Locator("#services tr[data-service='before']")).ToBeVisibleAsync();
            await Expect(dashboard.Page.Locator("#connection")).ToHaveTextAsync("Live");

            await first.DisposeAsync(); // killed: its event stream breaks
            var banner = dashboard.Page.Locator("#banner");
            await Expect(banner).ToBeVisibleAsync();
            await Expect(banner).ToContainTextAsync("unreachable");
            await Expect(dashboard.Page.Locator("#connection")).ToHaveTextAsync("Reconnecting…");
            await dashboard.ScreenshotAsync("unreachable");

            // A new (empty, --dev) agent on the same port: the page reconnects and shows its catalog.
            second = await AgentProcess.StartAsync(["--dev"], options);
            await new AgentApi(second).RegisterAsync(new { service_name = "after", host = "127.0.0.1", port = 7702 });
            await Expect(dashboard.Page.Locator("#connection")).ToHaveTextAsync("Live", new() { Timeout = 20_000 });
            await Expect(banner).ToBeHiddenAsync();
            await Expect(dashboard.Page.Locator("#services tr[data-service='after']")).ToBeVisibleAsync();
            await Expect(dashboard.Page.Locator("#services tr[data-service='before']")).ToHaveCountAsync(0);
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
                await second.DisposeAsync();
        }
    }
}
