using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Ui.Tests;

/// <summary>The dashboard on an agent with ACLs on and default deny: it asks for a token and shows only what the token may do.</summary>
public sealed class AclTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Management = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";
    private ServiceProcess _agent = null!;

    public async ValueTask InitializeAsync()
        => _agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options
        {
            Environment = new Dictionary<string, string>
            {
                ["Switchboard__Acl__Enabled"] = "true",
                ["Switchboard__Acl__DefaultPolicy"] = "deny",
                ["Switchboard__Acl__InitialManagementToken"] = Management,
            },
        });

    public async ValueTask DisposeAsync() => await _agent.DisposeAsync();

    private static async Task SignInAsync(Dashboard dashboard, string token)
    {
        await dashboard.Page.GetByLabel("ACL token").FillAsync(token);
        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task WithoutAToken_ThePageAsksForOne_AndAReadOnlyTokenSeesNoDeregisterButton()
    {
        var admin = new AgentApi(_agent, Management);
        var id = await admin.RegisterAsync(new { service_name = "billing", host = "127.0.0.1", port = 7501 });
        await admin.RegisterAsync(new { service_name = "secret-thing", host = "127.0.0.1", port = 7502 });
        var reader = await admin.CreateTokenAsync("billing-reader", """{"service":{"billing":{"policy":"read"}}}""");

        await using var dashboard = await Dashboard.OpenAsync(browser, _agent.BaseUri);
        await dashboard.GotoAsync("/ui/services");
        await Expect(dashboard.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(dashboard.Page.GetByLabel("ACL token")).ToBeFocusedAsync();
        await dashboard.ScreenshotAsync("sign-in");

        await SignInAsync(dashboard, "00000000-0000-4000-8000-000000000000");
        await Expect(dashboard.Page.Locator("#token-error")).ToContainTextAsync("not found");

        await SignInAsync(dashboard, reader);
        await Expect(dashboard.Page.Locator("#services tr[data-service='billing']")).ToBeVisibleAsync();
        await Expect(dashboard.Page.Locator("#services tr[data-service='secret-thing']")).ToHaveCountAsync(0);
        Assert.Equal(reader, await dashboard.Page.EvaluateAsync<string>("() => sessionStorage.getItem('switchboard.token')"));
        Assert.Equal(0, await dashboard.Page.EvaluateAsync<int>("() => localStorage.length"));

        await dashboard.GotoAsync("/ui/services/billing");
        var row = dashboard.Page.Locator($"#instances tr[data-instance='{id}']");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Details of {id}" })).ToBeVisibleAsync();
        await Expect(row.Locator("button[data-action]")).ToHaveCountAsync(0);
        await Expect(dashboard.Page.Locator("#connection")).ToHaveTextAsync("Live");
        Assert.Empty(dashboard.Problems);
    }

    [Fact]
    public async Task AWriteToken_SeesTheActions_AndSigningOutForgetsIt()
    {
        var admin = new AgentApi(_agent, Management);
        var id = await admin.RegisterAsync(new { service_name = "payments", host = "127.0.0.1", port = 7601 });
        var writer = await admin.CreateTokenAsync("payments-writer", """{"service":{"payments":{"policy":"write"}}}""");

        await using var dashboard = await Dashboard.OpenAsync(browser, _agent.BaseUri);
        await dashboard.GotoAsync("/ui/services/payments");
        await SignInAsync(dashboard, writer);
        var row = dashboard.Page.Locator($"#instances tr[data-instance='{id}']");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Deregister {id}" })).ToBeVisibleAsync();

        await dashboard.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(dashboard.Page.GetByLabel("ACL token")).ToBeVisibleAsync();
        Assert.Null(await dashboard.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('switchboard.token')"));
    }

    [Fact]
    public async Task ATokenDeletedWhileThePageIsOpen_BringsThePromptBack()
    {
        var admin = new AgentApi(_agent, Management);
        await admin.RegisterAsync(new { service_name = "ledger", host = "127.0.0.1", port = 7701 });
        var (accessor, secret) = await admin.CreateTokenWithAccessorAsync("ledger-reader", """{"service":{"ledger":{"policy":"read"}}}""");

        await using var dashboard = await Dashboard.OpenAsync(browser, _agent.BaseUri);
        await dashboard.GotoAsync("/ui/services");
        await SignInAsync(dashboard, secret);
        await Expect(dashboard.Page.Locator("#services tr[data-service='ledger']")).ToBeVisibleAsync();
        await Expect(dashboard.Page.Locator("#connection")).ToHaveTextAsync("Live");

        await admin.SendAsync(HttpMethod.Delete, $"/v1/acl/token/{accessor}");
        // The stream re-checks its token at its next event (or keep-alive tick, every 15 s): an event makes it now.
        await admin.RegisterAsync(new { service_name = "ledger", host = "127.0.0.1", port = 7702 });
        await Expect(dashboard.Page.GetByLabel("ACL token")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(dashboard.Page.Locator("#token-error")).ToContainTextAsync("rejected");
        Assert.Null(await dashboard.Page.EvaluateAsync<string?>("() => sessionStorage.getItem('switchboard.token')"));
    }
}
