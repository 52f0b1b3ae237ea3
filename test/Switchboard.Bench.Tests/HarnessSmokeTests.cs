namespace Switchboard.Bench.Tests;

/// <summary>
/// Runs the one-command load harness in smoke mode (1 s runs, tiny sizes) against the real agent, etcd, nginx and a
/// redis-server it starts itself, and checks that every section wrote its table with its rows. No figure is checked:
/// the machine is shared and the smoke runs are far too short to mean anything.
/// </summary>
public sealed class HarnessSmokeTests
{
    /// <summary>A hang guard, not a speed check: a smoke run takes about a minute on the 2-core machine.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    /// <summary>Each table: the start of its header row, and the rows it must have (none listed: at least one row).</summary>
    private static readonly (string Header, string[] Rows)[] Expected =
    [
        ("| route | bare req/s | agent req/s | agent/bare | agent/etcd |", ["instances of a service (10)", "discover (round-robin pick)"]),
        ("| peer | req/s | p50 ms | p99 ms | errors |", ["etcd range (10 records)"]),
        ("| route | bare req/s | agent req/s | agent/bare | vs native agent |", ["native instances (10)", "Consul health/service ?passing (10)", "Consul catalog/service (10)"]),
        ("| watcher | p50 ms | p99 ms | max ms |", ["blocking query (native)", "server-sent events"]),
        ("| stack | req/s | vs bare |", ["bare HttpClient, fixed URL (one instance)", "bare HttpClient, round-robin over the three fixed URLs",
            "Switchboard client (registry + P2C + resilience)", "Switchboard client, 64 connections per instance like the bare client",
            "MESD AddServiceDiscovery + AddStandardResilienceHandler", "bare HttpClient through nginx proxy"]),
        ("| calls | failed calls | calls over 100 ms before / after the kill | slowest call after the kill ms | traffic to dead instance stopped after s |", []),
        ("| store | registrations/s | register p99 ms | heartbeats/s |", ["memory (--dev)", "embedded (fsync)", "redis (one agent)"]),
        ("| instances | fill registrations/s | agent RSS MiB | lookup req/s | lookup p50 ms | lookup p99 ms | snapshot MiB | journal MiB | restart s | restart CPU s | RSS after restart MiB |", ["200", "1,000"]),
        ("| instances on Redis | fill registrations/s | registrations retried after 503 | replica catch-up s | replica catch-up CPU s | replica RSS MiB |", ["200", "1,000"]),
        ("| registering took s | last deadline at s |", []),
        ("| agent | instances req/s | vs embedded |", ["embedded store (one agent)", "redis node A (took the writes)", "redis node B (replica)"]),
        ("| change | p50 ms | p99 ms | max ms |", ["registration answered by node A", "registration on node A seen by a blocking query on node B"]),
        ("| what | per second | vs SET | vs HTTP ceiling |", ["redis-benchmark -t set -c 64 -n 30,000 (mean of before and after)", "heartbeats through one agent on Redis",
            "bare Kestrel answering each heartbeat after one HSET on the same Redis (no registry: the floor of a heartbeat Redis acknowledged)",
            "heartbeats through the embedded agent (leases in memory: the HTTP ceiling)", "the same requests answered by bare Kestrel (no registry: the floor of an HTTP heartbeat)"]),
        ("| instances on node A | held by node B |", []),
        ("| store, subscribers | registrations/s | register p99 ms | slowdown |", ["memory (--dev), 0", "memory (--dev), 20 (every event)", "memory (--dev), 20 (one service each)", "embedded (fsync), 0", "embedded (fsync), 20 (every event)", "embedded (fsync), 20 (one service each)"]),
        ("| watchers | count | agent RSS MiB before | RSS KiB per watcher |", ["blocking query (native)", "blocking query (Consul health)", "event-stream subscriber", "bare Kestrel fan-out (floor)"]),
        ("| instances | fill registrations/s | slowest second | write p99 ms | longest write ms |", ["2,000"]),
        ("| route | ACLs off req/s | ACLs on req/s | on/off |", ["instances of a service (10)", "discover (round-robin pick)", "Consul health/service (10)", "registrations (new instances)"]),
        ("| route | metrics off req/s | metrics on req/s | on/off |", ["instances of a service (10)", "Consul health/service (10)", "registrations (new instances)"]),
        ("| calls | telemetry off req/s | telemetry on req/s | on/off |", ["GET /ping through IServiceClient"]),
        ("| server | queries/s | vs dnsmasq |", ["switchboard agent"]),
    ];

    [Fact]
    public async Task Smoke_run_exits_0_and_writes_every_section_with_its_rows()
    {
        _ = RepositoryPaths.AgentDll; // built next to the harness, or the run cannot start
        var markdownFile = Path.Combine(Path.GetTempPath(), $"sb-smoke-{Guid.NewGuid():N}.md");
        try
        {
            var run = await HarnessProcess.RunAsync(["--smoke", "--out", markdownFile], Bound, TestContext.Current.CancellationToken);
            TestContext.Current.SendDiagnosticMessage($"smoke run: exit {run.ExitCode} after {run.Took.TotalSeconds:0} s");

            Assert.False(run.TimedOut, $"the smoke run did not end within {Bound} and was killed:\n{run.Output}");
            Assert.True(run.ExitCode == 0, $"the smoke run exited {run.ExitCode}:\n{run.Output}");
            var tables = MarkdownTables.Parse(await File.ReadAllTextAsync(markdownFile, TestContext.Current.CancellationToken));
            var missing = Expected.SelectMany(e => Missing(tables, e.Header, e.Rows)).ToList();
            Assert.True(missing.Count == 0, $"missing from the markdown:\n{string.Join("\n", missing)}\n\nharness output:\n{run.Output}");
        }
        finally
        {
            File.Delete(markdownFile);
        }
    }

    private static IEnumerable<string> Missing(List<MarkdownTables.Table> tables, string header, string[] rows)
    {
        var table = tables.FirstOrDefault(t => t.Header.StartsWith(header, StringComparison.Ordinal));
        if (table is null)
        {
            yield return $"the table {header}";
            yield break;
        }
        if (table.RowLabels.Count == 0)
            yield return $"any row of {header}";
        foreach (var row in rows.Where(r => !table.RowLabels.Contains(r)))
            yield return $"row '{row}' of {header}";
    }
}
