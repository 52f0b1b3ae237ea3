using System.Diagnostics;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Ui.Tests;

/// <summary>A 1,000-instance service page: its render time is written to the test output (measured, never asserted).</summary>
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
}
