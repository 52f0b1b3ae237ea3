using Microsoft.Playwright;

namespace Switchboard.Ui.Tests;

/// <summary>
/// One browser tab on an agent's dashboard: its console and page errors go to the test's output, a JavaScript dialog
/// (alert from injected markup) fails the test, and <see cref="ScreenshotAsync"/> saves artifacts.
/// </summary>
public sealed class Dashboard : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    private Dashboard(IBrowserContext context, IPage page, Uri agent)
    {
        _context = context;
        Page = page;
        Agent = agent;
    }

    public IPage Page { get; }

    public Uri Agent { get; }

    /// <summary>Errors the page threw and dialogs it opened (none expected).</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Console lines the page wrote, in order.</summary>
    public List<string> Console { get; } = [];

    public static async Task<Dashboard> OpenAsync(BrowserFixture browser, Uri agent, int width = 1280, int height = 900, bool dark = false, bool phone = false)
    {
        var context = await browser.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            BaseURL = agent.ToString(),
            ColorScheme = dark ? ColorScheme.Dark : ColorScheme.Light,
            IsMobile = phone,
            HasTouch = phone,
        });
        context.SetDefaultTimeout(15_000);
        Assertions.SetDefaultExpectTimeout(15_000); // the same bound for Expect(...) as for actions (5 s by default): a loaded 2-core machine needs it
        var page = await context.NewPageAsync();
        var dashboard = new Dashboard(context, page, agent);
        page.Console += (_, message) =>
        {
            lock (dashboard.Console)
                dashboard.Console.Add($"{message.Type}: {message.Text}");
        };
        page.PageError += (_, error) => dashboard.Problems.Add($"page error: {error}");
        page.Dialog += async (_, dialog) =>
        {
            dashboard.Problems.Add($"dialog opened: {dialog.Message}");
            await dialog.DismissAsync();
        };
        return dashboard;
    }

    public Task<IResponse?> GotoAsync(string path) => Page.GotoAsync(path);

    /// <summary>Saves a screenshot as <c>artifacts/screenshots/{name}.png</c> in the test output folder and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(BrowserFixture.ArtifactsDirectory, name + ".png");
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        lock (Console)
        {
            foreach (var line in Console)
                TestContext.Current.TestOutputHelper?.WriteLine($"browser {line}");
        }
        foreach (var problem in Problems)
            TestContext.Current.TestOutputHelper?.WriteLine($"browser {problem}");
        await _context.DisposeAsync();
    }
}
