using System.Reflection;
using System.Runtime.InteropServices;
using Switchboard.LoadHarness;
using Switchboard.LoadHarness.Sections;

// Usage: dotnet bench/Switchboard.LoadHarness/bin/Release/net10.0/Switchboard.LoadHarness.dll [--quick | --smoke] [--out FILE] [--only SECTION,...] [--cli PATH]
//        health [--hanging 0,3000] [--runs 3] [--agent switchboard.dll] [--label NAME] [--limit SECONDS] [--out FILE]
//        (internal) baseline <file.json>... (each at /<file>) | backend | bare-fanout | bare-redis-heartbeat <redis> <namespace>
// Exit: 0 when every section produced its rows and every process it started was stopped; 1 otherwise; 2 when it cannot start.
if (args is ["baseline", .. var files] && files.Length > 0)
    return await Baseline.RunAsync(files);
if (args is ["backend"])
    return await Baseline.RunBackendAsync();
if (args is ["bare-fanout"])
    return await BareFanOut.RunAsync();
if (args is ["bare-redis-heartbeat", var redisConnection, var redisNamespace])
    return await BareRedisHeartbeat.RunAsync(redisConnection, redisNamespace);

var root = Tools.FindRepositoryRoot();
var configuration = typeof(Program).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
var builtCli = Path.Combine(root, "src/Switchboard.Cli/bin", configuration, "net10.0/switchboard.dll");
if (args is ["health", ..])
    return await HealthMode.RunAsync(args, builtCli);
if (Arguments.Parse(args) is not { } arguments)
    return 2;
var cli = arguments.Cli ?? builtCli;
if (!Tools.EnsureInstalled())
    return 2;
if (!File.Exists(cli))
{
    Console.Error.WriteLine($"load harness: build the CLI first: dotnet build -c {configuration} {Path.Combine(root, "src/Switchboard.Cli")}");
    return 2;
}

var report = new Report();
var scratch = Directory.CreateTempSubdirectory("sb-bench-").FullName;
var clock = System.Diagnostics.Stopwatch.StartNew();
void StopEverything()
{
    PeerProcesses.StopAll();
    if (Directory.Exists(scratch))
        Directory.Delete(scratch, true);
}
void Interrupted(PosixSignalContext _) => StopEverything();
using (PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupted))
using (PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupted))
{
    try
    {
        using var redis = await RedisServer.StartAsync(Path.Combine(scratch, "redis"));
        var harness = new Harness(arguments.Settings, cli, typeof(Program).Assembly.Location, report, redis, scratch);
        if (arguments.Runs("reads"))
            await report.RunAsync("reads", () => ReadsSection.RunAsync(harness));
        if (arguments.Runs("consul reads"))
            await report.RunAsync("consul reads", () => ConsulReadsSection.RunAsync(harness));
        if (arguments.Runs("propagation"))
            await report.RunAsync("propagation", () => PropagationSection.RunAsync(harness));
        if (arguments.Runs("client calls"))
            await report.RunAsync("client calls", () => ClientCallsSection.RunAsync(harness));
        if (arguments.Runs("failover"))
            await report.RunAsync("failover", () => FailoverSection.RunAsync(harness));
        if (arguments.Runs("writes"))
            await report.RunAsync("writes", () => WritesSection.RunAsync(harness));
        if (arguments.Runs("scale"))
            await report.RunAsync("scale", () => ScaleSection.RunAsync(harness));
        if (arguments.Runs("fill"))
            await report.RunAsync("fill", () => FillSection.RunAsync(harness));
        if (arguments.Runs("expiry"))
            await report.RunAsync("expiry", () => ExpirySection.RunAsync(harness));
        if (arguments.Runs("redis"))
            await report.RunAsync("redis", () => RedisSection.RunAsync(harness));
        if (arguments.Runs("subscribers"))
            await report.RunAsync("subscribers", () => SubscribersSection.RunAsync(harness));
        if (arguments.Runs("watchers"))
            await report.RunAsync("watchers", () => WatchersSection.RunAsync(harness));
        if (arguments.Runs("acl"))
            await report.RunAsync("acl", () => AclSection.RunAsync(harness));
        if (arguments.Runs("telemetry"))
            await report.RunAsync("telemetry", () => TelemetrySection.RunAsync(harness));
        if (arguments.Runs("dns"))
            await report.RunAsync("dns", () => DnsSection.RunAsync(harness));
    }
    catch (InvalidOperationException e)
    {
        report.Problem($"the run stopped: {e.Message}");
    }
    finally
    {
        if (PeerProcesses.RunningCount > 0)
            report.Problem($"{PeerProcesses.RunningCount} started processes were still running at the end (stopped now)");
        StopEverything();
    }
}

var markdown = report.Markdown;
if (arguments.OutFile is not null)
    await File.WriteAllTextAsync(arguments.OutFile, markdown);
Console.WriteLine("\n---- markdown ----" + markdown);
Console.WriteLine($"load harness: {arguments.Settings.Name} run took {clock.Elapsed.TotalSeconds:0} s");
if (report.Problems.Count == 0)
    return 0;
foreach (var problem in report.Problems)
    Console.Error.WriteLine($"load harness: {problem}");
return 1;
