using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// What ACL enforcement costs the hot paths: reads and registrations on an agent with ACLs off and on an agent with ACLs on
/// (default deny) called with an ordinary token (<c>service_prefix "" write</c>, not a management token, so every request
/// resolves the token and evaluates a rule), the two agents running side by side and the runs alternated.
/// </summary>
internal static class AclSection
{
    /// <summary>The management secret the ACL agent starts with (Switchboard:Acl:InitialManagementToken); a harness-only agent on loopback.</summary>
    private const string Management = "5e0b6f1c-2d3a-4b5c-8d7e-9f0a1b2c3d4e";

    public static async Task RunAsync(Harness h)
    {
        var s = h.Settings;
        using var off = await h.StartAgentAsync("--dev");
        using var on = await h.StartAgentAsync(new Dictionary<string, string>
        {
            ["Switchboard__Acl__Enabled"] = "true",
            ["Switchboard__Acl__DefaultPolicy"] = "deny",
            ["Switchboard__Acl__InitialManagementToken"] = Management,
        }, "--dev");
        var token = await CreateTokenAsync(on.Address);
        await SeedAsync(off.Address, null);
        await SeedAsync(on.Address, token);

        var rows = new List<string[]>();
        foreach (var (what, path) in new[] { ("instances of a service (10)", "/service-discovery/services/bench-0/instances"), ("discover (round-robin pick)", "/service-discovery/discover/bench-0"), ("Consul health/service (10)", "/v1/health/service/bench-0") })
        {
            var offScript = RegistryLoad.WriteLua(h.Scratch, "acl-read-off", "");
            var onScript = RegistryLoad.WriteLua(h.Scratch, "acl-read-on", $"wrk.headers[\"X-Consul-Token\"] = \"{token}\"\n");
            await Wrk.WarmUpAsync(s, new Uri(off.Address, path), offScript);
            await Wrk.WarmUpAsync(s, new Uri(on.Address, path), onScript);
            rows.Add(await AlternateAsync(what, () => Wrk.RunAsync("acl off", new Uri(off.Address, path), s.Duration, luaScript: offScript),
                () => Wrk.RunAsync("acl on", new Uri(on.Address, path), s.Duration, luaScript: onScript)));
        }
        var round = 0;
        rows.Add(await AlternateAsync("registrations (new instances)",
            () => Wrk.RunAsync("acl off", off.Address, s.Duration, luaScript: RegistryLoad.RegisterScript(h.Scratch, $"acl-off-{round++}")),
            () => Wrk.RunAsync("acl on", on.Address, s.Duration, luaScript: RegistryLoad.RegisterScript(h.Scratch, $"acl-on-{round++}", token))));

        h.Report.Section("ACLs on vs off",
            $"Two `--dev` agents side by side: ACLs off, and ACLs on with default deny called with an ordinary token (`service_prefix \"\" write` through `X-Consul-Token`: each request resolves the token, a SHA-256 and a cached lookup, and evaluates a rule). `wrk -t2 -c64 -d{s.Duration.TotalSeconds}s`, off and on alternated twice, means of the two. Goal: on >= 0.9x off.");
        h.Report.Table(["route", "ACLs off req/s", "ACLs on req/s", "on/off", "off p99 ms", "on p99 ms", "errors"], rows);
    }

    /// <summary>Runs <paramref name="off"/> and <paramref name="on"/> alternately twice; the row of their means (the telemetry section uses it too).</summary>
    internal static async Task<string[]> AlternateAsync(string what, Func<Task<WrkResult>> off, Func<Task<WrkResult>> on)
    {
        var offRuns = new List<WrkResult>();
        var onRuns = new List<WrkResult>();
        for (var i = 0; i < 2; i++)
        {
            offRuns.Add(await off());
            onRuns.Add(await on());
        }
        var a = WrkResult.Mean(offRuns);
        var b = WrkResult.Mean(onRuns);
        return [what, Report.F(a.RequestsPerSecond), Report.F(b.RequestsPerSecond), Report.Ratio(b.RequestsPerSecond, a.RequestsPerSecond), Report.Ms(a.P99Ms), Report.Ms(b.P99Ms), Report.N(a.Failures + b.Failures)];
    }

    /// <summary>Creates the policy and the token through the Consul ACL routes, with the management token.</summary>
    private static async Task<string> CreateTokenAsync(Uri agent)
    {
        using var http = new HttpClient { BaseAddress = agent };
        http.DefaultRequestHeaders.Add("X-Consul-Token", Management);
        using (var policy = await http.PutAsJsonAsync("/v1/acl/policy", new { Name = "bench-all", Rules = """{"service_prefix":{"":{"policy":"write"}}}""" }))
            policy.EnsureSuccessStatusCode();
        using var token = await http.PutAsJsonAsync("/v1/acl/token", new { Description = "bench", Policies = new[] { new { Name = "bench-all" } } });
        token.EnsureSuccessStatusCode();
        return (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("SecretID").GetString()!;
    }

    private static async Task SeedAsync(Uri agent, string? token)
    {
        using var http = new HttpClient { BaseAddress = agent };
        if (token is not null)
            http.DefaultRequestHeaders.Add("X-Consul-Token", token);
        await RegistryLoad.RegisterAsync(http, 10, "bench");
    }
}
