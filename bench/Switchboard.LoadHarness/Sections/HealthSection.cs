using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchboard.Testing;

namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// Health checks that keep their interval: how long the agent takes to mark a failing canary critical while
/// thousands of other checks hang on a server that accepts and never answers.
/// </summary>
internal static class HealthSection
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    /// <summary>One measured run.</summary>
    private sealed record Run(double DetectionSeconds, bool Detected, int CanaryProbesInSettle, int HangingStillHealthy);

    public static async Task RunAsync(Report report, string agentDll, string label, IReadOnlyList<int> hangingCounts, int runs, TimeSpan limit)
    {
        var rows = new List<string[]>();
        foreach (var hanging in hangingCounts)
        {
            var measured = new List<Run>();
            for (var i = 0; i < runs; i++)
            {
                var run = await MeasureAsync(agentDll, hanging, limit);
                Console.WriteLine($"   {label}, {hanging} hanging, run {i + 1}: detected {(run.Detected ? "" : "> ")}{run.DetectionSeconds:0.00} s, canary probes in {Settle.TotalSeconds} s: {run.CanaryProbesInSettle}, hanging still healthy: {run.HangingStillHealthy}");
                measured.Add(run);
            }
            var detections = measured.Select(r => r.DetectionSeconds).ToList();
            var undetected = measured.Count(r => !r.Detected);
            rows.Add([label, Report.N(hanging), Seconds(Median(detections), undetected * 2 > runs),
                Report.F(detections.Min(), "0.00"), Seconds(detections.Max(), undetected > 0),
                Report.F(Median(measured.Select(r => (double)r.CanaryProbesInSettle))), Report.F(Median(measured.Select(r => (double)r.HangingStillHealthy)))]);
        }
        report.Section("Health checks under hanging targets",
            $"A fresh agent (`--dev`) per run; N instances registered with an HTTP check (1 s interval, 5 s timeout) on one 127.0.0.1 port that accepts and never answers, plus a canary with a 1 s check (1 s timeout) on a Kestrel endpoint answering 200. After {Settle.TotalSeconds} s the canary endpoint starts answering 500; detection is the time until the agent shows the canary critical (polled every 50 ms, capped at {limit.TotalSeconds} s: '>' means not detected by then). {runs} runs per row.");
        report.Table(["agent", "hanging checks", "detection median s", "min s", "max s", $"canary probes in {Settle.TotalSeconds} s (median)", "hanging still healthy at detection (median)"], rows);
    }

    private static string Seconds(double value, bool capped) => (capped ? "> " : "") + Report.F(value, "0.00");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static async Task<Run> MeasureAsync(string agentDll, int hanging, TimeSpan limit)
    {
        using var agent = await ChildProcess.StartListeningAsync(agentDll, "agent", "--port", "0", "--dev");
        using var http = new HttpClient { BaseAddress = agent.Address, Timeout = TimeSpan.FromSeconds(30) };
        await using var silent = SilentTcpServer.Start();
        await using var canary = await CanaryEndpoint.StartAsync();
        await Parallel.ForAsync(0, hanging, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await RegisterAsync(http, "hanging", $"hang-{i}", silent.Port, "5s", ct));
        await RegisterAsync(http, "canary", "canary", canary.Port, "1s", CancellationToken.None);

        var probesBefore = canary.Probes;
        await Task.Delay(Settle);
        var probesInSettle = canary.Probes - probesBefore;

        canary.Failing = true;
        var clock = Stopwatch.StartNew();
        var detected = false;
        while (clock.Elapsed < limit)
        {
            var details = await http.GetFromJsonAsync<JsonElement>("/service-discovery/instances/canary");
            if (details.GetProperty("instance").GetProperty("status").GetString() == "critical")
            {
                detected = true;
                break;
            }
            await Task.Delay(50);
        }
        var detection = clock.Elapsed.TotalSeconds;
        return new Run(detection, detected, probesInSettle, hanging == 0 ? 0 : await HealthyAsync(http, "hanging"));
    }

    private static async Task RegisterAsync(HttpClient http, string service, string id, int port, string timeout, CancellationToken ct)
    {
        var body = $$$"""{"service_name":"{{{service}}}","instance_id":"{{{id}}}","host":"127.0.0.1","port":{{{port}}},"ttl":"10m","check":{"kind":"http","http":"/health","interval":"1s","timeout":"{{{timeout}}}"}}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/service-discovery/register", content, ct);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"registration of {id} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static async Task<int> HealthyAsync(HttpClient http, string service)
    {
        var list = await http.GetFromJsonAsync<JsonElement>("/service-discovery/services");
        return list.GetProperty("services").EnumerateArray()
            .Where(s => s.GetProperty("service_name").GetString() == service)
            .Select(s => s.GetProperty("healthy_instances").GetInt32())
            .FirstOrDefault();
    }
}
