using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Redis;
using Switchboard.Registry.Storage;

// Usage: dotnet run -c Release --project bench/Switchboard.RedisBench [-- seconds]
// Starts its own redis-server on a free loopback port, runs two registry nodes in this process (each with its own
// Redis connections, so changes really travel through Redis pub/sub), and prints one markdown table.
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var duration = TimeSpan.FromSeconds(seconds);
var port = FreePort();
var dir = Directory.CreateTempSubdirectory("sb-bench-").FullName;
using var redis = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir])
{
    RedirectStandardOutput = true,
})!;
try
{
    await WaitForRedisAsync(port);
    var rows = new List<(string What, string Figure)>();
    var connection = $"127.0.0.1:{port}";

    var embedded = await StartEmbeddedAsync(dir);
    var a = await StartRedisNodeAsync(connection, "a");
    var b = await StartRedisNodeAsync(connection, "b");

    // Registration throughput against Redis: 64 writers on node A, distinct instances.
    var registered = await RunAsync(duration, 64, async (worker, n) =>
        await a.Catalog.RegisterAsync(Instance($"svc-{n % 100}", $"w{worker}-{n}", 1000 + n % 50000, TimeSpan.FromMinutes(5))));
    rows.Add(("registrations/s, node A -> Redis (64 concurrent)", Rate(registered)));
    var embeddedRegistered = await RunAsync(duration, 64, async (worker, n) =>
        await embedded.RegisterAsync(Instance($"svc-{n % 100}", $"w{worker}-{n}", 1000 + n % 50000, TimeSpan.FromMinutes(5))));
    rows.Add(("registrations/s, embedded store, fsync on (64 concurrent, for comparison)", Rate(embeddedRegistered)));

    // Heartbeat throughput against Redis: 64 loops over the first 6,400 instances of node A.
    var ids = Enumerable.Range(0, 64).SelectMany(w => Enumerable.Range(0, 100).Select(n => $"w{w}-{n}")).Where(id => a.Catalog.GetInstance(id) is not null).ToArray();
    var beats = await RunAsync(duration, 64, async (worker, n) => await a.Catalog.HeartbeatAsync(ids[(worker * 100 + n) % ids.Length]));
    rows.Add(("heartbeats/s, node A -> Redis (64 concurrent)", Rate(beats)));

    // Wait until B holds what A holds, then compare reads: B's replica against the embedded catalog.
    var deadline = Stopwatch.StartNew();
    while (b.Catalog.InstanceCount != a.Catalog.InstanceCount && deadline.Elapsed < TimeSpan.FromMinutes(2))
        await Task.Delay(100);
    rows.Add(($"instances replicated to B (A holds {a.Catalog.InstanceCount})", b.Catalog.InstanceCount.ToString("N0", CultureInfo.InvariantCulture)));
    var services = b.Catalog.ListServices().Services.Select(s => s.ServiceName)
        .Intersect(embedded.ListServices().Services.Select(s => s.ServiceName)).ToArray();
    foreach (var (name, catalog) in new[] { ("node B (Redis replica)", b.Catalog), ("embedded store", embedded) })
    {
        var reads = await RunAsync(duration, Environment.ProcessorCount, (worker, n) =>
        {
            var service = services[n % services.Length];
            _ = catalog.GetService(service)!.ToJson(InstanceFilter.All);
            _ = catalog.PickRoundRobin(service, out _);
            return Task.CompletedTask;
        });
        rows.Add(($"reads/s, {name} (service JSON + round-robin pick, {Environment.ProcessorCount} threads)", Rate(reads)));
    }

    // Propagation: A changes one instance, a blocking watcher on B wakes; one change at a time.
    var latencies = new List<double>();
    var acks = new List<double>();
    var watched = b.Catalog.GetService("probe")?.Index ?? 0;
    for (var i = 0; i < 2000; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var wake = b.Catalog.WaitForServiceAsync("probe", watched, TimeSpan.FromSeconds(10));
        await a.Catalog.RegisterAsync(Instance("probe", "probe-1", 2000 + i % 2, null));
        acks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var view = await wake;
        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        watched = view!.Index;
    }
    latencies.Sort();
    acks.Sort();
    rows.Add(("change acknowledged to the writer on A (Redis round trip), p50", Ms(acks[acks.Count / 2])));
    rows.Add(("change on A -> watcher on B, p50", Ms(latencies[latencies.Count / 2])));
    rows.Add(("change on A -> watcher on B, p99", Ms(latencies[(int)(latencies.Count * 0.99)])));
    rows.Add(("change on A -> watcher on B, max", Ms(latencies[^1])));

    await a.Store.DisposeAsync();
    await b.Store.DisposeAsync();
    await embedded.Store.DisposeAsync();

    Console.WriteLine($"| Measure ({seconds.ToString(CultureInfo.InvariantCulture)} s each, {Environment.ProcessorCount} cores) | Figure |");
    Console.WriteLine("|---|---:|");
    foreach (var (what, figure) in rows)
        Console.WriteLine($"| {what} | {figure} |");
}
finally
{
    redis.Kill(entireProcessTree: true);
    await redis.WaitForExitAsync();
    Directory.Delete(dir, recursive: true);
}

static string Rate((long Count, TimeSpan Elapsed) run) => (run.Count / run.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);

static string Ms(double ms) => ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

static async Task<(long Count, TimeSpan Elapsed)> RunAsync(TimeSpan duration, int workers, Func<int, int, Task> operation)
{
    long count = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
    {
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            await operation(worker, n);
            Interlocked.Increment(ref count);
        }
    })));
    return (count, clock.Elapsed);
}

static ServiceInstance Instance(string service, string id, int port, TimeSpan? ttl)
{
    var errors = RegistrationValidator.Validate(new ServiceRegistration { ServiceName = service, InstanceId = id, Host = "10.0.0.1", Port = port, Ttl = ttl ?? TimeSpan.Zero }, null, out var instance);
    return errors.Count == 0 ? instance! : throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
}

static async Task<ServiceCatalog> StartEmbeddedAsync(string dir)
{
    var store = new EmbeddedRegistryStore(Options.Create(new EmbeddedStoreOptions { DataDirectory = Path.Combine(dir, "embedded") }), NullLogger<EmbeddedRegistryStore>.Instance);
    var catalog = new ServiceCatalog(store, TimeProvider.System, Options.Create(new RegistryOptions()), NullLogger<ServiceCatalog>.Instance);
    await catalog.LoadAsync();
    return catalog;
}

static async Task<(ServiceCatalog Catalog, RedisRegistryStore Store)> StartRedisNodeAsync(string connection, string node)
{
    var store = new RedisRegistryStore(Options.Create(new RedisStoreOptions { ConnectionString = connection, NodeId = node, Namespace = "bench" }), TimeProvider.System,
        NullLogger<RedisRegistryStore>.Instance);
    var catalog = new ServiceCatalog(store, TimeProvider.System, Options.Create(new RegistryOptions()), NullLogger<ServiceCatalog>.Instance);
    await catalog.LoadAsync();
    return (catalog, store);
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task WaitForRedisAsync(int port)
{
    for (var i = 0; i < 200; i++)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return;
        }
        catch (SocketException)
        {
            await Task.Delay(50);
        }
    }
    throw new TimeoutException("redis-server did not start");
}
