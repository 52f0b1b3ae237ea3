using System.Diagnostics;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Ui.Tests;

/// <summary>A 1,000-instance service page and a 10,000-service list: their render times are written to the test output (measured, never asserted).</summary>
public sealed class ScaleTests(BrowserFixture browser, AgentFixture agent) : IClassFixture<AgentFixture>
{
    private const int Instances = 1000;

    [Fact]
    public async Task AThousandInstanceServicePage_RendersItsFirstPage_AndTheTimeIsRecorded()
    {
        var api = agent.Api;
        await Parallel.ForAsync(0, Instances, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = TestContext.Current.CancellationToken },
            async (i, _) => await api.RegisterAsync(new
            {
                service_name = "big",
                host = $"10.1.{i / 250}.{i % 250 + 1}",
                port = 8080,
                zone = $"zone-{i % 3}",
                version = $"2.{i % 4}.0",
                tags = new[] { "api", $"shard-{i % 8}" },
            }));

        await using var dashboard = await Dashboard.OpenAsync(browser, agent.Agent.BaseUri);
        await dashboard.GotoAsync("/ui/health"); // the shell and its modules loaded once, as a person arriving from another page
        var clock = Stopwatch.StartNew();
        await dashboard.GotoAsync("/ui/services/big");
        await Expect(dashboard.Page.Locator("#instances tbody tr")).ToHaveCountAsync(100);
        clock.Stop();
        await Expect(dashboard.Page.Locator(".pager").First).ToContainTextAsync($"Page 1 of 10 ({Instances} instances)");
        var inPage = await dashboard.Page.Locator("main").GetAttributeAsync("data-render-ms");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"service page with {Instances} instances: first page of 100 rows visible {clock.ElapsedMilliseconds} ms after navigation (page's own measure, fetch to rows drawn: {inPage} ms)");
        await dashboard.ScreenshotAsync("service-1000-instances");
        Assert.Empty(dashboard.Problems);
    }

    [Fact]
    public async Task TenThousandServices_ListInPages_SearchAndStayLive()
    {
        const int Services = 10_000;
        var api = agent.Api;
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, Services, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = TestContext.Current.CancellationToken },
            async (i, _) => await api.RegisterAsync(new { service_name = $"svc-{i:D5}", host = "127.0.0.1", port = 7000, tags = new[] { $"team-{i % 20}" } }));
        TestContext.Current.TestOutputHelper?.WriteLine($"registered {Services} services in {clock.ElapsedMilliseconds} ms");

        await using var dashboard = await Dashboard.OpenAsync(browser, agent.Agent.BaseUri);
        await dashboard.GotoAsync("/ui/health");
        clock.Restart();
        await dashboard.GotoAsync("/ui/services");
        await Expect(dashboard.Page.Locator(".pager").First).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"Page 1 of 20[01] \(")); // 10,000 (+ the other test's "big")
        await Expect(dashboard.Page.Locator("#services tbody tr")).ToHaveCountAsync(50);
        var listed = clock.ElapsedMilliseconds;

        clock.Restart();
        await dashboard.Page.GetByLabel("Search").FillAsync("svc-0999");
        await Expect(dashboard.Page.Locator("#services tbody tr")).ToHaveCountAsync(10);
        var searched = clock.ElapsedMilliseconds;

        clock.Restart();
        await api.RegisterAsync(new { service_name = "svc-09999-late", host = "127.0.0.1", port = 7001 });
        await Expect(dashboard.Page.Locator("#services tr[data-service='svc-09999-late']")).ToBeVisibleAsync();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"services list with {Services + 1} services: first page of 50 visible {listed} ms after navigation; a search narrowed it in {searched} ms; a new registration appeared in {clock.ElapsedMilliseconds} ms");
        await dashboard.ScreenshotAsync("services-10000");
        Assert.Empty(dashboard.Problems);
    }
}
