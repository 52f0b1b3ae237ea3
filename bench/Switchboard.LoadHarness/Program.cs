using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.LoadHarness;

// Usage: dotnet run -c Release --project bench/Switchboard.LoadHarness -- [--quick] [--out FILE]
//        (internal) baseline <instances.json> <discover.json>
if (args is ["baseline", var instancesFile, var discoverFile])
    return await Baseline.RunAsync(instancesFile, discoverFile);
if (args is ["backend"])
    return await Baseline.RunBackendAsync();

var quick = args.Contains("--quick");
var outFile = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
var duration = TimeSpan.FromSeconds(quick ? 3 : 10);
var scales = quick ? new[] { 1_000, 10_000 } : [1_000, 10_000, 100_000];

var root = FindRepositoryRoot();
var cli = Path.Combine(root, "src/Switchboard.Cli/bin/Release/net10.0/switchboard.dll");
var self = typeof(Program).Assembly.Location;
foreach (var (tool, package) in new[] { ("wrk", "wrk"), ("etcd", "etcd-server"), ("nginx", "nginx-light") })
{
    if (!CommandExists(tool) && !TryInstall(package))
    {
        Console.Error.WriteLine($"load harness: '{tool}' is missing: run 'apt-get update && apt-get install -y {package}'");
        return 2;
    }
}
if (!File.Exists(cli))
{
    Console.Error.WriteLine($"load harness: build the CLI first: dotnet build -c Release {Path.Combine(root, "src/Switchboard.Cli")}");
    return 2;
}

var report = new Report();
var dataDir = Path.Combine(Path.GetTempPath(), $"sb-bench-{Environment.ProcessId}");
try
{
    await ReadsAsync();
    await PropagationAsync();
    await ClientCallsAsync();
    await FailoverAsync();
    await WritesAsync();
    await ScaleAsync();
    await ExpiryAsync();
}
finally
{
    if (Directory.Exists(dataDir))
        Directory.Delete(dataDir, true);
}

var markdown = report.Markdown;
if (outFile is not null)
    await File.WriteAllTextAsync(outFile, markdown);
Console.WriteLine("\n---- markdown ----" + markdown);
return 0;

async Task ReadsAsync()
{
    using var agent = await ChildProcess.StartListeningAsync(cli, "agent", "--dev", "--port", "0");
    using var http = new HttpClient { BaseAddress = agent.Address };
    await RegistryLoad.RegisterAsync(http, 10, "bench");
    var instancesUrl = new Uri(agent.Address, "/service-discovery/services/bench-0/instances");
    var discoverUrl = new Uri(agent.Address, "/service-discovery/discover/bench-0");
    var instancesFile = Path.GetTempFileName();
    var discoverFile = Path.GetTempFileName();
    await File.WriteAllBytesAsync(instancesFile, await http.GetByteArrayAsync(instancesUrl));
    await File.WriteAllBytesAsync(discoverFile, await http.GetByteArrayAsync(discoverUrl));
    using var baseline = await ChildProcess.StartListeningAsync(self, "baseline", instancesFile, discoverFile);

    // Warm up both servers, then alternate runs so drift on the shared machine hits both sides alike.
    await Wrk.RunAsync("warmup", new Uri(baseline.Address, "/instances"), TimeSpan.FromSeconds(2));
    await Wrk.RunAsync("warmup", instancesUrl, TimeSpan.FromSeconds(2));
    using var etcd = await Etcd.StartAsync();
    using (var etcdHttp = new HttpClient())
    {
        var records = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(instancesFile)).RootElement;
        foreach (var record in records.EnumerateArray())
            await etcd.PutAsync(etcdHttp, $"services/bench-0/{record.GetProperty("instance_id").GetString()}", record.GetRawText());
    }
    var rangeScript = RegistryLoad.WriteLua("etcd-range", $$"""
        wrk.method = "POST"
        wrk.body = '{{Etcd.RangeBody("services/bench-0/")}}'
        wrk.headers["Content-Type"] = "application/json"
        """);
    await Wrk.RunAsync("warmup", new Uri(etcd.Address, "/v3/kv/range"), TimeSpan.FromSeconds(2), luaScript: rangeScript);
    var etcdRun = await Wrk.RunAsync("etcd", new Uri(etcd.Address, "/v3/kv/range"), duration, luaScript: rangeScript);
    var runs = new List<(string Route, WrkResult Bare, WrkResult Agent)>();
    foreach (var (route, bareUrl, agentUrl) in new[] { ("instances of a service (10)", new Uri(baseline.Address, "/instances"), instancesUrl), ("discover (round-robin pick)", new Uri(baseline.Address, "/discover"), discoverUrl) })
    {
        var bare = await Wrk.RunAsync("bare Kestrel", bareUrl, duration);
        var ours = await Wrk.RunAsync("agent", agentUrl, duration);
        runs.Add((route, bare, ours));
    }
    report.Section("Registry reads vs a bare Kestrel endpoint returning the same bytes, and vs etcd",
        $"`wrk -t2 -c64 -d{duration.TotalSeconds}s --latency`, agent `--dev` with 10 instances of the service; the bare endpoint is a minimal API returning the identical bytes from memory, in its own process; etcd {EtcdVersion()} serves the same 10 JSON records through its JSON gateway (`POST /v3/kv/range` over the service's key prefix). Targets: agent >= 0.8x bare; >= 10x etcd.");
    report.Table(["route", "bare req/s", "agent req/s", "agent/bare", "agent/etcd", "bare p50 ms", "agent p50 ms", "bare p99 ms", "agent p99 ms", "errors"],
        runs.Select(r => new[] { r.Route, Report.F(r.Bare.RequestsPerSecond), Report.F(r.Agent.RequestsPerSecond), Report.F(r.Agent.RequestsPerSecond / r.Bare.RequestsPerSecond, "0.00") + "x",
            Report.F(r.Agent.RequestsPerSecond / etcdRun.RequestsPerSecond, "0.0") + "x",
            Report.F(r.Bare.P50Ms, "0.00"), Report.F(r.Agent.P50Ms, "0.00"), Report.F(r.Bare.P99Ms, "0.00"), Report.F(r.Agent.P99Ms, "0.00"), (r.Agent.Non2xx + r.Agent.Errors).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
    report.Table(["peer", "req/s", "p50 ms", "p99 ms", "errors"],
        [["etcd range (10 records)", Report.F(etcdRun.RequestsPerSecond), Report.F(etcdRun.P50Ms, "0.00"), Report.F(etcdRun.P99Ms, "0.00"), (etcdRun.Non2xx + etcdRun.Errors).ToString(System.Globalization.CultureInfo.InvariantCulture)]]);
    File.Delete(instancesFile);
    File.Delete(discoverFile);
}

async Task PropagationAsync()
{
    var rounds = quick ? 50 : 300;
    using var agent = await ChildProcess.StartListeningAsync(cli, "agent", "--dev", "--port", "0");
    var blocking = await Propagation.BlockingQueryAsync(agent.Address, rounds, "prop-blocking");
    var sse = await Propagation.EventStreamAsync(agent.Address, rounds, "prop-sse");
    report.Section("Propagation", $"{rounds} rounds: a watcher waits (a parked blocking query, or a subscriber to the event stream), the harness registers one instance and times from sending the registration to the watcher holding the change. Includes the registration's own round trip. Target: p99 under 50 ms on loopback.");
    report.Table(["watcher", "p50 ms", "p99 ms", "max ms"],
        [["blocking query (native)", Report.F(Propagation.Percentile(blocking, 50), "0.00"), Report.F(Propagation.Percentile(blocking, 99), "0.00"), Report.F(blocking.Max(), "0.00")],
         ["server-sent events", Report.F(Propagation.Percentile(sse, 50), "0.00"), Report.F(Propagation.Percentile(sse, 99), "0.00"), Report.F(sse.Max(), "0.00")]]);
}

async Task<(ChildProcess Agent, List<ChildProcess> Backends)> StartCallTargetsAsync(string? checkInterval = null)
{
    var agent = await ChildProcess.StartListeningAsync(cli, "agent", "--dev", "--port", "0");
    var backends = new List<ChildProcess>();
    using var http = new HttpClient { BaseAddress = agent.Address };
    for (var i = 0; i < 3; i++)
    {
        var backend = await ChildProcess.StartListeningAsync(self, "backend");
        backends.Add(backend);
        var check = checkInterval is null ? "" : $$""","check":{"kind":"http","http":"/health","interval":"{{checkInterval}}","timeout":"1s"}""";
        using var content = new StringContent($$"""{"service_name":"calls","host":"127.0.0.1","port":{{backend.Address.Port}},"ttl":0{{check}}}""", System.Text.Encoding.UTF8, "application/json");
        (await http.PostAsync("/service-discovery/register", content)).EnsureSuccessStatusCode();
    }
    return (agent, backends);
}

async Task ClientCallsAsync()
{
    var (agent, backends) = await StartCallTargetsAsync();
    try
    {
        var urls = backends.Select(b => b.Address).ToList();
        using var nginx = await Nginx.StartAsync(urls);
        await using var switchboard = ClientStacks.Switchboard(agent.Address);
        var client = switchboard.GetRequiredService<Switchboard.Client.Calls.IServiceClient>();
        var (standardProvider, standard) = ClientStacks.StandardStack(urls);
        await using var _ = standardProvider;
        using var bare = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        var bareUrl = new Uri(urls[0], "/ping");
        var nginxUrl = new Uri(nginx.Address, "/ping");
        var stacks = new (string Name, Func<Task<bool>> Call)[]
        {
            ("bare HttpClient, fixed URL (one instance)", () => ClientStacks.CallAsync(bare, bareUrl)),
            ("Switchboard client (registry + P2C + resilience)", () => ClientStacks.CallAsync(client)),
            ("MESD AddServiceDiscovery + AddStandardResilienceHandler", () => ClientStacks.CallAsync(standard, new Uri("/ping", UriKind.Relative))),
            ("bare HttpClient through nginx proxy", () => ClientStacks.CallAsync(bare, nginxUrl)),
        };
        foreach (var (name, call) in stacks)
            await ClientLoad.RunAsync(name, call, TimeSpan.FromSeconds(2)); // warm-up: connections, discovery caches
        var results = new List<ClientLoad.Outcome>();
        foreach (var (name, call) in stacks)
            results.Add(await ClientLoad.RunAsync(name, call, duration));
        var baseRate = results[0].RequestsPerSecond;
        report.Section("Client calls", $"64 concurrent callers in the harness process for {duration.TotalSeconds} s per stack, GET /ping on three backend processes (bare Kestrel), registered in the agent. Each stack as its users build it: Switchboard's `AddSwitchboard()` + `IServiceClient` (discovery from the registry, power-of-two-choices, the Polly pipeline, headers); MESD with the three endpoints in configuration + the standard resilience handler; nginx {NginxVersion()} with an upstream of the three and keepalive. Targets: Switchboard >= 0.9x bare; >= 1.0x the standard stack; lower p50 than the proxy.");
        report.Table(["stack", "req/s", "vs bare", "p50 ms", "p99 ms", "failed calls"],
            results.Select(r => new[] { r.Name, Report.F(r.RequestsPerSecond), Report.F(r.RequestsPerSecond / baseRate, "0.00") + "x", Report.F(r.P50Ms, "0.00"), Report.F(r.P99Ms, "0.00"), r.Failures.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
    }
    finally
    {
        agent.Dispose();
        backends.ForEach(b => b.Dispose());
    }
}

async Task FailoverAsync()
{
    var (agent, backends) = await StartCallTargetsAsync(checkInterval: "10s");
    try
    {
        await using var switchboard = ClientStacks.Switchboard(agent.Address, recordAttempts: true);
        var client = switchboard.GetRequiredService<Switchboard.Client.Calls.IServiceClient>();
        var victim = backends[1];
        var victimPort = victim.Address.Port;
        TimeSpan? killedAt = null;
        var load = ClientLoad.RunAsync("failover", () => ClientStacks.CallAsync(client), TimeSpan.FromSeconds(quick ? 6 : 12), concurrency: 16);
        await Task.Delay(TimeSpan.FromSeconds(3));
        killedAt = AttemptRecorder.Clock.Elapsed;
        victim.Dispose(); // SIGKILL, then reaped
        var registryCritical = Task.Run(async () =>
        {
            using var http = new HttpClient { BaseAddress = agent.Address };
            while (AttemptRecorder.Clock.Elapsed - killedAt < TimeSpan.FromSeconds(30))
            {
                var instances = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/service-discovery/services/calls/instances")).RootElement;
                if (instances.EnumerateArray().Any(i => i.GetProperty("port").GetInt32() == victimPort && i.GetProperty("status").GetString() == "critical"))
                    return AttemptRecorder.Clock.Elapsed - killedAt.Value;
                await Task.Delay(50);
            }
            return (TimeSpan?)null;
        });
        var outcome = await load;
        var lastToVictim = AttemptRecorder.LastAttempt.TryGetValue(victimPort, out var last) ? last - killedAt.Value : TimeSpan.MinValue;
        if (lastToVictim == TimeSpan.MinValue)
            throw new InvalidOperationException("the failover run never reached the victim: the measurement is broken");
        var critical = await registryCritical;
        report.Section("Failover", $"Steady load (16 concurrent callers through the Switchboard client) over three backends; after 3 s one backend process is killed (SIGKILL). The instance was registered with an HTTP check every 10 s. 'Traffic stopped after' is the time from the kill to the last attempt the client sent to the dead instance (its breaker opens after consecutive failures and it is ejected); the registry column is the time until the agent itself marked it critical, which is what a client without passive ejection would wait for (or the 5-minute lease, without a check). Targets: 0 failed calls; traffic stops within 1 s.");
        report.Table(["calls", "failed calls", "traffic to dead instance stopped after s", "registry marked it critical after s"],
            [[outcome.Calls.ToString(System.Globalization.CultureInfo.InvariantCulture), outcome.Failures.ToString(System.Globalization.CultureInfo.InvariantCulture), Report.F(Math.Max(0, lastToVictim.TotalSeconds), "0.000"), critical is { } c ? Report.F(c.TotalSeconds, "0.0") : "> 30"]]);
    }
    finally
    {
        agent.Dispose();
        backends.ForEach(b => b.Dispose());
    }
}

async Task WritesAsync()
{
    var rows = new List<string[]>();
    foreach (var (store, agentArgs) in new[] { ("memory (--dev)", new[] { "--dev" }), ("embedded (fsync)", new[] { "--data-dir", dataDir }) })
    {
        using var agent = await ChildProcess.StartListeningAsync(cli, ["agent", "--port", "0", .. agentArgs]);
        using var http = new HttpClient { BaseAddress = agent.Address };
        await RegistryLoad.RegisterAsync(http, 10_000, "hb");
        var heartbeats = await Wrk.RunAsync("heartbeats", agent.Address, duration, luaScript: RegistryLoad.HeartbeatScript("hb", 10_000));
        var registrations = await Wrk.RunAsync("registrations", agent.Address, duration, luaScript: RegistryLoad.RegisterScript());
        rows.Add([store, Report.F(registrations.RequestsPerSecond), Report.F(registrations.P99Ms, "0.00"), Report.F(heartbeats.RequestsPerSecond), Report.F(heartbeats.P99Ms, "0.00"), (registrations.Non2xx + heartbeats.Non2xx + registrations.Errors + heartbeats.Errors).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }
    if (Directory.Exists(dataDir))
        Directory.Delete(dataDir, true);
    report.Section("Registry writes", $"`wrk -t2 -c64 -d{duration.TotalSeconds}s` with Lua scripts: registrations of new instances (each one a journal write on the embedded store, group-committed and fsynced before the answer), heartbeats over 10,000 registered instances (lease renewals, never written to disk).");
    report.Table(["store", "registrations/s", "register p99 ms", "heartbeats/s", "heartbeat p99 ms", "errors"], rows);
}

async Task ScaleAsync()
{
    var rows = new List<string[]>();
    foreach (var size in scales)
    {
        using var agent = await ChildProcess.StartListeningAsync(cli, "agent", "--dev", "--port", "0");
        using var http = new HttpClient { BaseAddress = agent.Address };
        var watch = Stopwatch.StartNew();
        await RegistryLoad.RegisterAsync(http, size, "scale");
        var loadSeconds = watch.Elapsed.TotalSeconds;
        var lookup = await Wrk.RunAsync("lookup", new Uri(agent.Address, "/service-discovery/services/scale-7/instances"), duration);
        rows.Add([size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), Report.F(agent.ResidentMiB()), Report.F(size / loadSeconds), Report.F(lookup.RequestsPerSecond), Report.F(lookup.P50Ms, "0.00"), Report.F(lookup.P99Ms, "0.00")]);
    }
    report.Section("Scale", "A fresh agent (`--dev`) per size, filled over HTTP with services of 10 instances (32 concurrent registrations), then `wrk -t2 -c64` on one service's instances. Resident memory from /proc/<pid>/status after filling.");
    report.Table(["instances", "agent RSS MiB", "fill registrations/s", "lookup req/s", "lookup p50 ms", "lookup p99 ms"], rows);
}

async Task ExpiryAsync()
{
    const int count = 10_000;
    using var agent = await ChildProcess.StartListeningAsync(cli, "agent", "--dev", "--port", "0");
    using var http = new HttpClient { BaseAddress = agent.Address };
    var ttl = TimeSpan.FromSeconds(quick ? 5 : 10);
    var watch = Stopwatch.StartNew();
    await RegistryLoad.RegisterAsync(http, count, "exp", ttl: $"{ttl.TotalSeconds}s", parallel: 64);
    var lastAck = watch.Elapsed;
    TimeSpan? firstGone = null;
    while (watch.Elapsed < lastAck + ttl + TimeSpan.FromSeconds(30))
    {
        var left = await RegistryLoad.InstanceCountAsync(http);
        if (left < count && firstGone is null)
            firstGone = watch.Elapsed;
        if (left == 0)
            break;
        await Task.Delay(20);
    }
    var empty = watch.Elapsed;
    var lastDeadline = lastAck + ttl;
    report.Section("Lease expiry", $"{count:N0} instances registered with a {ttl.TotalSeconds} s lease as fast as the API takes them (over {lastAck.TotalSeconds:0.0} s), no heartbeats; the catalog polled every 20 ms. Target: every lease leaves within 1 s of its deadline.");
    report.Table(["registering took s", "last deadline at s", "catalog empty at s", "empty after last deadline s"],
        [[Report.F(lastAck.TotalSeconds, "0.00"), Report.F(lastDeadline.TotalSeconds, "0.00"), Report.F(empty.TotalSeconds, "0.00"), Report.F((empty - lastDeadline).TotalSeconds, "0.00")]]);
}

static string FindRepositoryRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
            return dir.FullName;
    }
    throw new InvalidOperationException("run the harness from inside the Switchboard repository");
}

static string NginxVersion()
{
    using var p = Process.Start(new ProcessStartInfo("nginx", "-v") { RedirectStandardError = true })!;
    var text = p.StandardError.ReadToEnd().Trim();
    p.WaitForExit();
    return text.Replace("nginx version: nginx/", "", StringComparison.Ordinal);
}

static string EtcdVersion()
{
    using var p = Process.Start(new ProcessStartInfo("etcd", "--version") { RedirectStandardOutput = true })!;
    var first = p.StandardOutput.ReadLine() ?? "";
    p.WaitForExit();
    return first.Replace("etcd Version: ", "", StringComparison.Ordinal);
}

static bool TryInstall(string package)
{
    if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        return false;
    Console.Error.WriteLine($"load harness: installing {package} with apt-get");
    using var update = Process.Start("apt-get", "update -qq")!;
    update.WaitForExit();
    var info = new ProcessStartInfo("apt-get", $"install -y -qq {package}");
    info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
    using var install = Process.Start(info)!;
    install.WaitForExit();
    return install.ExitCode == 0;
}

static bool CommandExists(string name)
    => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(p => File.Exists(Path.Combine(p, name)));
