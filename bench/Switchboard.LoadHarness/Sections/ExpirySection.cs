using System.Diagnostics;

namespace Switchboard.LoadHarness.Sections;

/// <summary>How soon after their deadline unrenewed leases leave the catalog.</summary>
internal static class ExpirySection
{
    public static async Task RunAsync(Harness h)
    {
        var count = h.Settings.ExpiryInstances;
        var ttl = h.Settings.ExpiryTtl;
        using var agent = await h.StartAgentAsync("--dev");
        using var http = new HttpClient { BaseAddress = agent.Address };
        var watch = Stopwatch.StartNew();
        await RegistryLoad.RegisterAsync(http, count, "exp", ttl: $"{ttl.TotalSeconds}s", parallel: 64);
        var lastAck = watch.Elapsed;
        int left;
        while ((left = await RegistryLoad.InstanceCountAsync(http)) > 0 && watch.Elapsed < lastAck + ttl + TimeSpan.FromSeconds(30))
            await Task.Delay(20);
        var empty = watch.Elapsed;
        var lastDeadline = lastAck + ttl;
        var after = left == 0 ? Report.F((empty - lastDeadline).TotalSeconds, "0.00") : $"> 30 ({left:N0} left)";
        h.Report.Section("Lease expiry", $"{count:N0} instances registered with a {ttl.TotalSeconds} s lease as fast as the API takes them (over {lastAck.TotalSeconds:0.0} s), no heartbeats; the catalog polled every 20 ms. Target: every lease leaves within 1 s of its deadline.");
        h.Report.Table(["registering took s", "last deadline at s", "catalog empty at s", "empty after last deadline s"],
            [[Report.F(lastAck.TotalSeconds, "0.00"), Report.F(lastDeadline.TotalSeconds, "0.00"), left == 0 ? Report.F(empty.TotalSeconds, "0.00") : "never", after]]);
    }
}
