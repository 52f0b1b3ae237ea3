using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchboard.Samples.Irrigation.Hosting;
using Switchboard.Samples.Irrigation.Optimizer;
using Switchboard.Samples.Tests.TestSupport;

namespace Switchboard.Samples.Tests.EndToEnd;

/// <summary>
/// The sample end to end, as real processes: the ten steps with everything up; Weather killed and Sensor Data down
/// (a partial, degraded answer with reasons, never an error); both back (full answers again, same optimizer process);
/// one X-Request-ID in every service's logs.
/// </summary>
public sealed class IrrigationFlowTests(IrrigationSystem system) : IClassFixture<IrrigationSystem>
{
    private static readonly string[] StepNamesInOrder =
    [
        "receive_request", "fetch_allocations", "check_weather", "read_sensors", "read_gate_positions",
        "load_topology", "optimize_hydraulics", "execute_gate_commands", "verify_gate_movements", "report_to_ros",
    ];

    private static object FullRequest(bool refreshTopology = false) =>
        new { zones = new[] { "zone-1", "zone-2", "zone-5" }, horizon_hours = 6, refresh_topology = refreshTopology };

    [Fact]
    public async Task Optimize_AllUpThenWeatherAndSensorsDownThenBack_FullThenPartialWithReasonsThenFullAgain()
    {
        var optimizerPid = system[IrrigationServices.GravityOptimizer].ProcessId;

        // 0. Start from closed gates whatever the other tests in this class left behind (they share one system),
        //    so the optimization has gate commands to send.
        using (var stop = await system.Http.PostAsJsonAsync(new Uri(system.Optimizer, $"{OptimizerApi.Prefix}/emergency/stop"), new { reason = "test reset" }))
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        using (var reset = await system.Http.PostAsync(new Uri(system.Optimizer, $"{OptimizerApi.Prefix}/emergency/reset"), null))
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);

        // 1. Everything up: every step ok on live data, one X-Request-ID across all the calls. (Polled: on a loaded
        //    machine the agent's probe of a backend may time out once; the result asserted is the first full one.)
        var (response, full) = await OptimizeUntilAsync(FullRequest(refreshTopology: true), r => r.Status == "optimized", "a full optimization");
        var requestId = full.RequestId;
        Assert.StartsWith("e2e-", requestId, StringComparison.Ordinal);
        Assert.Equal(requestId, Assert.Single(response.Headers.GetValues("X-Request-ID")));
        AssertFullResult(full, requestId);
        await AssertDeliveryReportAtRosAsync(full);
        await AssertRequestIdInEveryServiceLogAsync(requestId);

        try
        {
            // 2. Weather killed (a crash), both Sensor Data instances switched down.
            await system.KillAsync(IrrigationServices.Weather);
            await system.SetFaultAsync(IrrigationSystem.SensorDataA, "down");
            await system.SetFaultAsync(IrrigationSystem.SensorDataB, "down");

            (response, var partial) = await OptimizeUntilAsync(
                FullRequest(),
                r => r.Steps.Where(s => s.Step is not (3 or 4 or 7)).All(s => s.Status == "ok"),
                "a partial optimization where only Weather and Sensor Data are missing");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("partial", partial.Status);
            Assert.True(partial.Degraded);
            AssertStep(partial, 3, "degraded", "stale_cache", IrrigationServices.Weather);
            AssertStep(partial, 4, "degraded", "default", IrrigationServices.SensorData);
            Assert.Contains("design water levels", partial.Steps[3].Detail, StringComparison.Ordinal);
            AssertStep(partial, 7, "degraded", "computed");
            Assert.Contains("read_sensors", partial.Steps[6].Detail, StringComparison.Ordinal);
            foreach (var step in new[] { 1, 2, 5, 6, 8, 9, 10 })
                Assert.Equal("ok", partial.Steps[step - 1].Status);
            Assert.Contains(partial.Warnings, w => w.Contains(IrrigationServices.Weather, StringComparison.Ordinal));
            Assert.Contains(partial.Warnings, w => w.Contains(IrrigationServices.SensorData, StringComparison.Ordinal));
            Assert.All(partial.Zones, z => Assert.True(z.DeliveredFlowM3s > 0, $"{z.ZoneId} still gets water"));
            Assert.NotNull(partial.DeliveryReportId);

            // 3. Both back (Weather as a new process on a new port): full results return, same optimizer process.
            await system.StartAsync(IrrigationServices.Weather);
            await system.SetFaultAsync(IrrigationSystem.SensorDataA, "none");
            await system.SetFaultAsync(IrrigationSystem.SensorDataB, "none");
            var (_, recovered) = await OptimizeUntilAsync(FullRequest(), r => r.Status == "optimized", "optimizations are full again");
            Assert.All(recovered.Steps, s => Assert.Equal("ok", s.Status));
            Assert.Equal("live", recovered.Steps[2].Source);
            Assert.Equal($"weather-service-127.0.0.1-{system[IrrigationServices.Weather].BaseUri.Port}", recovered.Steps[2].Instance);
            Assert.Equal("live", recovered.Steps[3].Source);
            Assert.Empty(recovered.Warnings);
            Assert.False(system[IrrigationServices.GravityOptimizer].HasExited);
            Assert.Equal(optimizerPid, system[IrrigationServices.GravityOptimizer].ProcessId);
        }
        finally
        {
            await system.RestoreAsync();
        }
    }

    [Fact]
    public async Task Optimize_WeatherFailing_OnceEjectedEachOptimizationTriesItOnceAndSaysPanicMode()
    {
        try
        {
            // Weather's only instance answers 500 (as a slow one times out: the tests' attempt timeout is 15 s, too long
            // to wait for here); its /health stays healthy, so the registry keeps offering it and only the caller's
            // breaker ejects it.
            await system.SetFaultAsync(IrrigationServices.Weather, "fail");

            await OptimizeUntilAsync(FullRequest(),
                r => r.Steps[2].Detail.Contains("panic mode", StringComparison.Ordinal), "the weather step says panic mode");
            var (_, result) = await system.OptimizeAsync(FullRequest()); // the first one whose call starts with the breaker open

            var weather = result!.Steps[2];
            Assert.Equal("degraded", weather.Status);
            Assert.Equal(IrrigationServices.Weather, weather.Service);
            Assert.Equal(1, weather.Attempts); // the lone ejected instance is tried once, not once per attempt
            Assert.Contains($"Every instance of {IrrigationServices.Weather} is ejected by its circuit breaker", weather.Detail, StringComparison.Ordinal);
        }
        finally
        {
            await system.RestoreAsync();
        }
    }

    [Theory]
    [InlineData("""{"zones":["zone-9"],"horizon_hours":6}""", "zones[0]")]
    [InlineData("""{"zones":["zone-1","zone-2"],"horizon_hours":6,"target_volumes_m3":{"zone-2":-10}}""", "target_volumes_m3.zone-2")]
    [InlineData("""{"zones":["zone-1"]}""", "horizon_hours")]
    [InlineData("""{"horizon_hours":6}""", "zones")]
    [InlineData("""{"zones":["zone-1"],"horizon_hours":"six"}""", "horizon_hours")]
    [InlineData("""{"zones":["zone-1"],"horizon_hours":6,"priority":1}""", "priority")]
    [InlineData("", "body")]
    public async Task Optimize_InvalidRequest_400ProblemDetailsNamingTheField(string body, string field)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await system.Http.PostAsync(new Uri(system.Optimizer, $"{OptimizerApi.Prefix}/optimize/realtime"), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), problem.GetRawText());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [Fact]
    public async Task Optimize_GateOverrideOutsideZeroToOne_ScadaRefusesAndTheResultSaysTheGateDidNotMove()
    {
        var body = new { zones = new[] { "zone-1" }, horizon_hours = 4, gate_overrides = new Dictionary<string, double> { ["G-02"] = 1.5 } };
        var (response, result) = await OptimizeUntilAsync(body, r => r.Steps.Where(s => s.Step != 8).All(s => s.Status == "ok"), "every step but the gate commands ok");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("partial", result.Status);
        var step8 = result.Steps[7];
        Assert.Equal("degraded", step8.Status);
        Assert.Contains("G-02", step8.Detail, StringComparison.Ordinal);
        Assert.Contains("between 0 (closed) and 1 (fully open)", step8.Detail, StringComparison.Ordinal);
        var gate = Assert.Single(result.Gates, g => g.GateId == "G-02");
        Assert.True(gate.Override);
        Assert.Equal("rejected", gate.Command);
        Assert.Equal("unmoved", gate.Verification);
        Assert.Equal(gate.PreviousOpening, gate.ActualOpening);
        Assert.Equal("ok", result.Steps[8].Status);
        Assert.All(result.Gates.Where(g => g.GateId != "G-02"), g => Assert.Equal("verified", g.Verification));
    }

    [Fact]
    public async Task ScadaGateControl_OpeningOutsideZeroToOne_400NamingTargetOpening()
    {
        var scada = system[IrrigationServices.Scada].BaseUri;
        using var response = await system.Http.PostAsJsonAsync(new Uri(scada, "/api/v1/scada/gates/G-03/control"), new { target_opening = 1.5 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var message = problem.GetProperty("errors").GetProperty("target_opening")[0].GetString();
        Assert.Contains("between 0 (closed) and 1 (fully open); got 1.5", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmergencyStop_ClosesEveryGateAndRefusesOptimizationsUntilReset()
    {
        var scada = system[IrrigationServices.Scada].BaseUri;
        try
        {
            using var stop = await system.Http.PostAsJsonAsync(new Uri(system.Optimizer, $"{OptimizerApi.Prefix}/emergency/stop"), new { reason = "canal breach at km 12" });
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);

            var gates = await system.GetJsonAsync(scada, "/api/v1/scada/gates/status");
            Assert.True(gates.GetProperty("emergency_stop_active").GetBoolean());
            Assert.All(gates.GetProperty("gates").EnumerateArray(), g => Assert.Equal(0, g.GetProperty("opening").GetDouble()));

            var (refused, _) = await system.OptimizeAsync(FullRequest());
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            using var health = await system.Http.GetAsync(new Uri(system.Optimizer, "/health"));
            Assert.Equal(HttpStatusCode.TooManyRequests, health.StatusCode);
            var status = await system.GetJsonAsync($"{OptimizerApi.Prefix}/status");
            Assert.Equal("canal breach at km 12", status.GetProperty("emergency_stop").GetProperty("reason").GetString());
        }
        finally
        {
            using var reset = await system.Http.PostAsync(new Uri(system.Optimizer, $"{OptimizerApi.Prefix}/emergency/reset"), null);
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        }
        var (after, result) = await OptimizeUntilAsync(FullRequest(), r => r.Steps[7].Status == "ok", "gate commands accepted again");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("accepted", result.Gates.First(g => g.TargetOpening > 0).Command);
    }

    [Fact]
    public async Task IntegratedHealthAndStatus_AllUp_ReportEveryDependency()
    {
        var health = await system.GetJsonAsync($"{OptimizerApi.Prefix}/health");
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal(IrrigationServices.Backends.Order(), health.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service").GetString()!).Order());

        var status = await system.GetJsonAsync($"{OptimizerApi.Prefix}/status");
        Assert.Equal("Registered", status.GetProperty("registration").GetString());
        Assert.False(status.GetProperty("emergency_stop").GetProperty("active").GetBoolean());
        Assert.All(status.GetProperty("services").EnumerateArray(), s => Assert.True(s.GetProperty("healthy_instances").GetInt32() >= 1, s.GetRawText()));
        Assert.Equal(20, status.GetProperty("gates").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Registry_EveryServiceRegisteredWithSeedTagsAndMetadata()
    {
        var instances = await system.GetJsonAsync(system.Registry, $"/service-discovery/services/{IrrigationServices.GravityOptimizer}/instances");
        var optimizer = Assert.Single(instances.EnumerateArray());
        Assert.Equal(["gravity", "hydraulics", "optimization"], optimizer.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Order());
        Assert.Equal("6", optimizer.GetProperty("metadata").GetProperty("zones").GetString());
        Assert.Equal("20", optimizer.GetProperty("metadata").GetProperty("automated_gates").GetString());
        Assert.Equal("1.0.0", optimizer.GetProperty("version").GetString());

        foreach (var service in IrrigationServices.Backends)
        {
            // A test before this one may have stopped and restarted an instance: it is healthy again after the
            // registry's next probe of it, not at once.
            var expected = system.InstancesOf(service).Count();
            var found = await Eventually.UntilAsync(
                () => system.GetJsonAsync(system.Registry, $"/service-discovery/services/{service}/instances?healthy=true"),
                f => f.GetArrayLength() == expected,
                $"{expected} healthy instances of {service}",
                describe: f => f.GetRawText());
            Assert.Equal(expected, found.GetArrayLength());
        }
    }

    /// <summary>Optimizes (each time with a new X-Request-ID) until the answer is a 200 whose result satisfies <paramref name="done"/>.</summary>
    private async Task<(HttpResponseMessage Response, OptimizationResult Result)> OptimizeUntilAsync(object body, Func<OptimizationResult, bool> done, string what)
    {
        var (response, result) = await Eventually.UntilAsync(
            () => system.OptimizeAsync(body, $"e2e-{Guid.NewGuid():N}"),
            r => r.Result is { } result && done(result),
            what,
            describe: r => r.Result is { } result
                ? string.Join(" | ", result.Steps.Select(s => $"{s.Step} {s.Status}/{s.Source}: {s.Detail}"))
                : $"HTTP {(int)r.Response.StatusCode}");
        return (response, result!);
    }

    private static void AssertFullResult(OptimizationResult result, string requestId)
    {
        Assert.Equal("optimized", result.Status);
        Assert.False(result.Degraded);
        Assert.Equal(requestId, result.RequestId);
        Assert.Equal(StepNamesInOrder, result.Steps.Select(s => s.Name));
        Assert.Equal(Enumerable.Range(1, 10), result.Steps.Select(s => s.Step));
        Assert.All(result.Steps, s => Assert.Equal("ok", s.Status));
        foreach (var (step, service) in new[] { (2, IrrigationServices.Ros), (3, IrrigationServices.Weather), (4, IrrigationServices.SensorData), (5, IrrigationServices.Scada), (6, IrrigationServices.Gis), (8, IrrigationServices.Scada), (9, IrrigationServices.Scada), (10, IrrigationServices.Ros) })
            AssertStep(result, step, "ok", "live", service);
        Assert.Equal("computed", result.Steps[6].Source);
        Assert.Empty(result.Warnings);

        Assert.Equal(["zone-1", "zone-2", "zone-5"], result.Zones.Select(z => z.ZoneId));
        Assert.All(result.Zones, z =>
        {
            Assert.Equal("ros", z.VolumeSource);
            Assert.True(z.DemandM3 > 0 && z.DemandM3 < z.VolumeM3 * 1.2, $"{z.ZoneId}: demand {z.DemandM3} of {z.VolumeM3}");
            Assert.Equal(z.TargetFlowM3s, z.PlannedFlowM3s, 0.01);
            Assert.Equal(z.PlannedFlowM3s, z.DeliveredFlowM3s, 0.01);
            Assert.True(z.DeliveredVolumeM3 > 0);
        });

        Assert.Equal(20, result.Gates.Count);
        Assert.All(result.Gates, g =>
        {
            Assert.Contains(g.Command, new[] { "accepted", "unchanged" });
            Assert.Equal("verified", g.Verification);
            Assert.InRange(g.TargetOpening, 0, 1);
            Assert.Equal(g.TargetOpening, g.ActualOpening!.Value, 0.001);
        });
        var served = result.Zones.Select(z => z.ZoneId).ToHashSet();
        Assert.All(result.Gates.Where(g => g.ZoneId is not null), g => Assert.Equal(served.Contains(g.ZoneId!), g.TargetOpening > 0));
        Assert.StartsWith("rpt-", result.DeliveryReportId, StringComparison.Ordinal);
    }

    private static void AssertStep(OptimizationResult result, int step, string status, string source, string? service = null)
    {
        var outcome = result.Steps[step - 1];
        Assert.True(outcome.Status == status && outcome.Source == source && (service is null || outcome.Service == service),
            $"step {step} {outcome.Name}: expected {status}/{source}/{service}, got {outcome.Status}/{outcome.Source}/{outcome.Service}: {outcome.Detail}");
        if (status != "ok" && service is not null)
            Assert.Contains(service, outcome.Detail, StringComparison.Ordinal);
    }

    private async Task AssertDeliveryReportAtRosAsync(OptimizationResult result)
    {
        var reports = await system.GetJsonAsync(system[IrrigationServices.Ros].BaseUri, "/api/v1/ros/delivery-reports");
        var report = Assert.Single(reports.EnumerateArray(), r => r.GetProperty("optimization_id").GetString() == result.OptimizationId);
        Assert.Equal(result.DeliveryReportId, report.GetProperty("report_id").GetString());
        Assert.Equal(result.Zones.Count, report.GetProperty("zones").GetArrayLength());
    }

    /// <summary>Every service's JSON log has a line with the request id in its scope (either Sensor Data instance may have served it).</summary>
    private async Task AssertRequestIdInEveryServiceLogAsync(string requestId)
    {
        foreach (var service in IrrigationServices.Backends.Append(IrrigationServices.GravityOptimizer))
        {
            await Eventually.UntilAsync(
                () => Task.FromResult(system.InstancesOf(service).SelectMany(p => p.Lines).Count(line => HasRequestIdInScope(line, requestId))),
                count => count > 0,
                $"{service} logs a line with request_id {requestId} in scope",
                TimeSpan.FromSeconds(30));
        }
    }

    private static bool HasRequestIdInScope(string line, string requestId)
    {
        if (!line.StartsWith('{') || !line.Contains(requestId, StringComparison.Ordinal))
            return false;
        using var log = JsonDocument.Parse(line);
        return log.RootElement.TryGetProperty("Scopes", out var scopes)
            && scopes.EnumerateArray().Any(s => s.TryGetProperty("request_id", out var id) && id.GetString() == requestId);
    }
}
