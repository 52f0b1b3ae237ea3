using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Client.Calls;

namespace Switchboard.LoadHarness.Sections;

/// <summary>Steady load through the Switchboard client while one backend is killed: failed calls and how fast traffic to it stops.</summary>
internal static class FailoverSection
{
    private const int SlowCallMs = 100;

    public static async Task RunAsync(Harness h)
    {
        var s = h.Settings;
        using var targets = await CallTargets.StartAsync(h, checkInterval: s.FailoverCheckInterval);
        await using var switchboard = ClientStacks.Switchboard(targets.Agent.Address, recordAttempts: true);
        var client = switchboard.GetRequiredService<IServiceClient>();
        var victim = targets.Backends[1];
        var victimPort = victim.Address.Port;
        var slowCalls = new System.Collections.Concurrent.ConcurrentQueue<(TimeSpan Ended, double Ms)>();
        var killedAtTicks = long.MaxValue;
        var slowestAfterKill = new StrongBox<double>(0);
        var load = ClientLoad.MeasureAsync(async () =>
        {
            var started = AttemptRecorder.Clock.Elapsed;
            var ok = await ClientStacks.CallAsync(client);
            var ended = AttemptRecorder.Clock.Elapsed;
            var ms = (ended - started).TotalMilliseconds;
            if (ms > SlowCallMs)
                slowCalls.Enqueue((ended, ms));
            if (ended.Ticks >= Volatile.Read(ref killedAtTicks))
            {
                lock (slowestAfterKill)
                    slowestAfterKill.Value = Math.Max(slowestAfterKill.Value, ms);
            }
            return ok;
        }, s.FailoverLoad, concurrency: 16);
        await Task.Delay(s.FailoverKillAfter);
        var killedAt = AttemptRecorder.Clock.Elapsed;
        Volatile.Write(ref killedAtTicks, killedAt.Ticks);
        victim.Dispose(); // SIGKILL, then reaped
        var registryCritical = RegistryMarksCriticalAsync(targets.Agent.Address, victimPort, killedAt);
        var outcome = await load;
        var slowBefore = slowCalls.Count(c => c.Ended < killedAt);
        var slowAfter = slowCalls.Count(c => c.Ended >= killedAt);
        double slowest;
        lock (slowestAfterKill)
            slowest = slowestAfterKill.Value;
        var lastToVictim = AttemptRecorder.LastAttempt.TryGetValue(victimPort, out var last) ? last - killedAt : TimeSpan.MinValue;
        if (lastToVictim == TimeSpan.MinValue)
            throw new InvalidOperationException("the failover run never reached the victim: the measurement is broken");
        var critical = await registryCritical;
        h.Report.Section("Failover", $"Steady load (16 concurrent callers through the Switchboard client) over three backends; after {s.FailoverKillAfter.TotalSeconds} s one backend process is killed (SIGKILL). The instance was registered with an HTTP check every {s.FailoverCheckInterval}. 'Traffic stopped after' is the time from the kill to the last attempt the client sent to the dead instance (its breaker opens after consecutive failures and it is ejected); the registry column is the time until the agent itself marked it critical, which is what a client without passive ejection would wait for (or the 5-minute lease, without a check). 'Calls over 100 ms' counts them before the kill (each caller's first call, which opens its connections, and the machine's own noise) and after it; the slowest call is the slowest after the kill. A call that met the dead instance (refused connection, or a request on a connection the kill reset) moves to another instance at once; before that rule (0.1.0) it waited for the retry's backoff (1 s base). Targets: 0 failed calls; traffic stops within 1 s.");
        h.Report.Table(["calls", "failed calls", $"calls over {SlowCallMs} ms before / after the kill", "slowest call after the kill ms", "traffic to dead instance stopped after s", "registry marked it critical after s"],
            [[Report.N(outcome.LatenciesMs.Count), Report.N(outcome.Failures), $"{Report.N(slowBefore)} / {Report.N(slowAfter)}", Report.F(slowest, "0"), Report.F(Math.Max(0, lastToVictim.TotalSeconds), "0.000"), critical is { } c ? Report.F(c.TotalSeconds, "0.0") : "> 30"]]);
    }

    /// <summary>Polls the agent until it shows the instance on <paramref name="port"/> critical (null after 30 s).</summary>
    private static async Task<TimeSpan?> RegistryMarksCriticalAsync(Uri agent, int port, TimeSpan killedAt)
    {
        using var http = new HttpClient { BaseAddress = agent };
        while (AttemptRecorder.Clock.Elapsed - killedAt < TimeSpan.FromSeconds(30))
        {
            var instances = JsonDocument.Parse(await http.GetStringAsync("/service-discovery/services/calls/instances")).RootElement;
            if (instances.EnumerateArray().Any(i => i.GetProperty("port").GetInt32() == port && i.GetProperty("status").GetString() == "critical"))
                return AttemptRecorder.Clock.Elapsed - killedAt;
            await Task.Delay(50);
        }
        return null;
    }
}
