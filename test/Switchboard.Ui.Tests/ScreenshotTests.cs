using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Ui.Tests;

/// <summary>
/// Screenshots of every page (light, dark, phone-sized) on a small realistic catalog, saved as artifacts; the service
/// page's is the one in the README (docs/images/service-page.png). Nothing is compared pixel by pixel.
/// </summary>
public sealed class ScreenshotTests(BrowserFixture browser, AgentFixture agent) : IClassFixture<AgentFixture>
{
    private static readonly object TtlCheck = new[] { new { name = "self report", kind = "ttl", ttl = "10m" } };

    private async Task<string[]> SeedAsync()
    {
        var api = agent.Api;
        string[] zones = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
        var ids = new string[4];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = await api.RegisterAsync(new
            {
                service_name = "checkout",
                host = $"127.0.0.{i + 10}",
                port = 8443,
                protocol = "https",
                tags = i == 3 ? new[] { "api", "canary" } : new[] { "api" },
                version = i == 3 ? "2.1.0" : "2.0.4",
                zone = zones[i % 3],
                weight = i == 3 ? 1 : 10,
                metadata = new Dictionary<string, string> { ["team"] = "payments", ["build"] = $"2026.12.0{i + 1}" },
                checks = TtlCheck,
            });
            await api.HeartbeatAsync(ids[i], "passing", "HTTP GET /health: 200 OK");
        }
        await api.HeartbeatAsync(ids[1], "critical", "HTTP GET /health: 503 Service Unavailable (database connection refused)");
        await api.HeartbeatAsync(ids[3], "warning", "HTTP GET /health: 429 Too Many Requests");
        await api.SendAsync(HttpMethod.Put, $"/service-discovery/instances/{ids[2]}/maintenance", """{"enable":true,"reason":"kernel upgrade, back at 14:00"}""");
        foreach (var (name, count) in new[] { ("cart", 3), ("catalog", 2), ("identity", 2), ("search", 1) })
        {
            for (var i = 0; i < count; i++)
                await api.RegisterAsync(new { service_name = name, host = "127.0.0.1", port = 9000 + i, tags = new[] { "api", name == "search" ? "beta" : "web" }, version = "1.0.0" });
        }
        return ids;
    }

    [Fact]
    public async Task EveryPage_LightDarkAndPhone()
    {
        var ids = await SeedAsync();
        foreach (var (suffix, dark, phone) in new[] { ("", false, false), ("-dark", true, false), ("-phone", false, true) })
        {
            await using var dashboard = phone
                ? await Dashboard.OpenAsync(browser, agent.Agent.BaseUri, 390, 844, phone: true)
                : await Dashboard.OpenAsync(browser, agent.Agent.BaseUri, dark: dark);
            await dashboard.GotoAsync("/ui/services");
            await Expect(dashboard.Page.Locator("#services tr[data-service='checkout']")).ToBeVisibleAsync();
            await dashboard.ScreenshotAsync("page-services" + suffix);

            await dashboard.GotoAsync("/ui/services/checkout");
            var critical = dashboard.Page.Locator($"#instances tr[data-instance='{ids[1]}']");
            await critical.GetByRole(AriaRole.Button, new() { Name = $"Details of {ids[1]}" }).ClickAsync();
            await Expect(dashboard.Page.Locator("tr.details .transitions li").First).ToBeVisibleAsync();
            var shot = await dashboard.ScreenshotAsync("page-service" + suffix);
            if (suffix == "")
                File.Copy(shot, Path.Combine(BrowserFixture.ArtifactsDirectory, "service-page.png"), overwrite: true);

            await dashboard.GotoAsync("/ui/health");
            await Expect(dashboard.Page.Locator("#health tr[data-service='checkout']")).ToBeVisibleAsync();
            await dashboard.ScreenshotAsync("page-health" + suffix);

            await dashboard.GotoAsync("/ui/events");
            await Expect(dashboard.Page.Locator("#connection")).ToHaveTextAsync("Live");
            await agent.Api.HeartbeatAsync(ids[0], "warning", "slow answers");
            await agent.Api.HeartbeatAsync(ids[0], "passing", "HTTP GET /health: 200 OK");
            await Expect(dashboard.Page.Locator("#timeline li[data-type='status_changed']")).ToHaveCountAsync(2);
            await dashboard.ScreenshotAsync("page-events" + suffix);
            Assert.Empty(dashboard.Problems);
        }
    }

    [Fact]
    public async Task TheKeyboardAlone_ReachesTheServiceAndItsDetails()
    {
        await agent.Api.RegisterAsync(new { service_name = "keyboard", host = "127.0.0.1", port = 9100 });
        await using var dashboard = await Dashboard.OpenAsync(browser, agent.Agent.BaseUri);
        await dashboard.GotoAsync("/ui/services?q=keyboard");
        await Expect(dashboard.Page.Locator("#services tr[data-service='keyboard']")).ToBeVisibleAsync();
        await dashboard.Page.Keyboard.PressAsync("Tab");
        await Expect(dashboard.Page.Locator(".skip")).ToBeFocusedAsync();
        var link = dashboard.Page.GetByRole(AriaRole.Link, new() { Name = "keyboard", Exact = true });
        for (var i = 0; i < 20 && !await link.EvaluateAsync<bool>("e => e === document.activeElement"); i++)
            await dashboard.Page.Keyboard.PressAsync("Tab");
        await Expect(link).ToBeFocusedAsync();
        await dashboard.Page.Keyboard.PressAsync("Enter");
        await Expect(dashboard.Page.Locator("h1")).ToHaveTextAsync("keyboard");
        var details = dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Details of keyboard-127.0.0.1-9100" });
        await details.FocusAsync();
        await dashboard.Page.Keyboard.PressAsync("Enter");
        await Expect(details).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(details).ToBeFocusedAsync();
    }
}
