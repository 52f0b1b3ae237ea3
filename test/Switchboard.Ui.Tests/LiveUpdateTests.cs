using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Ui.Tests;

/// <summary>The dashboard against the real agent with ACLs off: what the API changes shows up without a reload, and back.</summary>
public sealed class LiveUpdateTests(BrowserFixture browser, AgentFixture agent) : IClassFixture<AgentFixture>
{
    private Task<Dashboard> OpenAsync() => Dashboard.OpenAsync(browser, agent.Agent.BaseUri);

    private static object Registration(string service, int port, object? checks = null, string[]? tags = null, Dictionary<string, string>? metadata = null) => new
    {
        service_name = service,
        host = "127.0.0.1",
        port,
        tags = tags ?? ["api"],
        version = "1.4.2",
        zone = "eu-west-1a",
        weight = 3,
        metadata = metadata ?? new Dictionary<string, string> { ["owner"] = "team-a" },
        checks = checks ?? Array.Empty<object>(),
    };

    [Fact]
    public async Task ARegistrationMadeThroughTheApi_AppearsWithoutAReload()
    {
        await using var dashboard = await OpenAsync();
        await dashboard.GotoAsync("/ui/services");
        await Expect(dashboard.Page.Locator("#connection")).ToHaveTextAsync("Live");

        await agent.Api.RegisterAsync(Registration("appears", 7001));
        var row = dashboard.Page.Locator("#services tr[data-service='appears']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator("[data-status='passing']")).ToHaveTextAsync("1");
        await dashboard.ScreenshotAsync("services");

        // The service page too: a second instance arrives on the open page.
        await row.GetByRole(AriaRole.Link, new() { Name = "appears" }).ClickAsync();
        await Expect(dashboard.Page.Locator("h1")).ToHaveTextAsync("appears");
        var second = await agent.Api.RegisterAsync(Registration("appears", 7002));
        await Expect(dashboard.Page.Locator($"#instances tr[data-instance='{second}']")).ToBeVisibleAsync();
        Assert.Empty(dashboard.Problems);
    }

    [Fact]
    public async Task ACheckThatStartsFailing_TurnsItsBadgeCriticalLive()
    {
        var id = await agent.Api.RegisterAsync(Registration("flaky", 7101, checks: new[] { new { id = "flaky-ttl", name = "self report", kind = "ttl", ttl = "5m" } }));
        await agent.Api.HeartbeatAsync(id, "passing", "all good");
        await using var dashboard = await OpenAsync();
        await dashboard.GotoAsync("/ui/services/flaky");
        var row = dashboard.Page.Locator($"#instances tr[data-instance='{id}']");
        await Expect(row.Locator(".badge").First).ToHaveTextAsync("passing");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Details of {id}" }).ClickAsync();
        await Expect(dashboard.Page.Locator("tr[data-check='flaky-ttl']")).ToBeVisibleAsync();

        await agent.Api.HeartbeatAsync(id, "critical", "disk full");
        await Expect(row).ToHaveAttributeAsync("data-status", "critical");
        await Expect(row.Locator(".badge").First).ToHaveTextAsync("critical");
        var check = dashboard.Page.Locator("tr[data-check='flaky-ttl']");
        await Expect(check).ToHaveAttributeAsync("data-status", "critical");
        await Expect(check.Locator("pre")).ToHaveTextAsync("disk full");
        await Expect(check.Locator(".transitions li").First).ToContainTextAsync("critical");
        await dashboard.ScreenshotAsync("service");

        await dashboard.Page.GetByRole(AriaRole.Link, new() { Name = "Services" }).First.ClickAsync();
        await Expect(dashboard.Page.Locator("#services tr[data-service='flaky'] [data-status='critical']")).ToHaveTextAsync("1");
        Assert.Empty(dashboard.Problems);
    }

    [Fact]
    public async Task DeregisteringThroughThePage_RemovesTheInstanceFromTheApi()
    {
        var id = await agent.Api.RegisterAsync(Registration("leaving", 7201));
        var stays = await agent.Api.RegisterAsync(Registration("leaving", 7202));
        await using var dashboard = await OpenAsync();
        await dashboard.GotoAsync("/ui/services/leaving");
        var row = dashboard.Page.Locator($"#instances tr[data-instance='{id}']");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Deregister {id}" }).ClickAsync();
        var dialog = dashboard.Page.Locator("dialog#confirm");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync(id);
        await dashboard.ScreenshotAsync("deregister-confirmation");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Deregister" }).ClickAsync();

        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, await agent.Api.InstanceStatusCodeAsync(id));
        Assert.Equal(HttpStatusCode.OK, await agent.Api.InstanceStatusCodeAsync(stays));
        Assert.Empty(dashboard.Problems);
    }

    [Fact]
    public async Task MaintenanceThroughThePage_DrainsTheInstance_WithItsReasonShown()
    {
        var id = await agent.Api.RegisterAsync(Registration("patched", 7261));
        await using var dashboard = await OpenAsync();
        await dashboard.GotoAsync("/ui/services/patched");
        var row = dashboard.Page.Locator($"#instances tr[data-instance='{id}']");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Maintenance for {id}" }).ClickAsync();
        await dashboard.Page.GetByLabel("Reason (shown on the page)").FillAsync("kernel upgrade");
        await dashboard.Page.Locator("dialog#confirm").GetByRole(AriaRole.Button, new() { Name = "Start maintenance" }).ClickAsync();

        await Expect(row).ToHaveAttributeAsync("data-status", "critical");
        await Expect(row).ToContainTextAsync("maintenance: kernel upgrade");
        await agent.Api.SendAsync(HttpMethod.Get, "/service-discovery/discover/patched", expect: HttpStatusCode.ServiceUnavailable);
        await dashboard.ScreenshotAsync("maintenance");

        await row.GetByRole(AriaRole.Button, new() { Name = $"End maintenance of {id}" }).ClickAsync();
        await dashboard.Page.Locator("dialog#confirm").GetByRole(AriaRole.Button, new() { Name = "End maintenance" }).ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-status", "passing");
        await agent.Api.SendAsync(HttpMethod.Get, "/service-discovery/discover/patched");
        Assert.Empty(dashboard.Problems);
    }

    [Fact]
    public async Task CancellingTheConfirmation_KeepsTheInstance()
    {
        var id = await agent.Api.RegisterAsync(Registration("kept", 7251));
        await using var dashboard = await OpenAsync();
        await dashboard.GotoAsync("/ui/services/kept");
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = $"Deregister {id}" }).ClickAsync();
        await dashboard.Page.Keyboard.PressAsync("Escape");
        await Expect(dashboard.Page.Locator("dialog#confirm")).ToBeHiddenAsync();
        Assert.Equal(HttpStatusCode.OK, await agent.Api.InstanceStatusCodeAsync(id));
    }

    [Fact]
    public async Task MarkupInNamesTagsMetadataAndOutput_IsShownAsTextAndNeverRuns()
    {
        const string script = "<script>window.__injected = 'script'</script>";
        const string image = "<img src=x onerror=\"window.__injected = 'img'\">";
        // Service names are DNS labels and instance ids are [A-Za-z0-9-_.:] (validated); the rest may hold markup.
        var id = await agent.Api.RegisterAsync(new
        {
            service_name = "markup",
            host = "127.0.0.1",
            port = 7301,
            tags = new[] { script, image },
            version = "<b>1</b>",
            zone = image,
            metadata = new Dictionary<string, string> { ["note"] = image, ["owner"] = script },
            checks = new[] { new { id = "markup-<img src=x onerror=alert(2)>", name = image, kind = "ttl", ttl = "5m" } },
        });
        await agent.Api.HeartbeatAsync(id, "warning", script + image);

        await using var dashboard = await OpenAsync();
        await dashboard.GotoAsync("/ui/services");
        await Expect(dashboard.Page.Locator("#services tr[data-service='markup']")).ToContainTextAsync(script);
        await dashboard.GotoAsync("/ui/services/markup");
        var row = dashboard.Page.Locator("#instances tbody tr").First;
        await Expect(row).ToContainTextAsync(id);
        await row.GetByRole(AriaRole.Button, new() { Name = $"Details of {id}" }).ClickAsync();
        var details = dashboard.Page.Locator("tr.details");
        await Expect(details).ToContainTextAsync(script);
        await Expect(details).ToContainTextAsync(image);
        await Expect(details.Locator("pre").Last).ToHaveTextAsync(script + image);
        await dashboard.ScreenshotAsync("markup-as-text");
        await dashboard.GotoAsync("/ui/events");
        await Expect(dashboard.Page.Locator("#connection")).ToHaveTextAsync("Live"); // the timeline shows what happens once connected
        await agent.Api.HeartbeatAsync(id, "critical", image);
        await Expect(dashboard.Page.Locator("#timeline li[data-service='markup']").First).ToContainTextAsync(id);

        Assert.Equal(0, await dashboard.Page.Locator("main img, main script").CountAsync());
        Assert.Null(await dashboard.Page.EvaluateAsync<string?>("() => window.__injected ?? null"));
        Assert.Empty(dashboard.Problems); // no alert() dialog, no page error
    }

    [Fact]
    public async Task AnUnknownRouteUnderUi_AnswersTheShellsNotFoundPage()
    {
        await using var dashboard = await OpenAsync();
        var response = await dashboard.GotoAsync("/ui/no/such/page");
        Assert.Equal(404, response!.Status);
        await Expect(dashboard.Page.Locator("h1")).ToHaveTextAsync("Page not found");
        await dashboard.ScreenshotAsync("not-found");
        using var asset = await agent.Agent.Client.GetAsync(new Uri("/ui/assets/missing.js", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, asset.StatusCode);
    }

    [Fact]
    public async Task HealthAndEventPages_ShowTheCatalogAndItsChangesLive()
    {
        await using var dashboard = await OpenAsync();
        await dashboard.GotoAsync("/ui/events");
        await Expect(dashboard.Page.Locator("#connection")).ToHaveTextAsync("Live");
        var id = await agent.Api.RegisterAsync(Registration("timeline", 7401));
        await Expect(dashboard.Page.Locator("#timeline li[data-type='registered'][data-service='timeline']")).ToContainTextAsync(id);
        await agent.Api.SendAsync(HttpMethod.Delete, $"/service-discovery/instances/{id}");
        await Expect(dashboard.Page.Locator("#timeline li[data-type='deregistered'][data-service='timeline']")).ToBeVisibleAsync();
        await dashboard.ScreenshotAsync("events");

        await agent.Api.RegisterAsync(Registration("timeline", 7402));
        await dashboard.Page.GetByRole(AriaRole.Link, new() { Name = "Health" }).ClickAsync();
        await Expect(dashboard.Page.Locator("#health tr[data-service='timeline']")).ToContainTextAsync("healthy");
        await dashboard.ScreenshotAsync("health");
        Assert.Empty(dashboard.Problems);
    }
}
