using System.Text;

namespace Switchboard.LoadHarness;

/// <summary>An agent with three backend processes registered as service <c>calls</c>: what the client-call and failover sections call.</summary>
internal sealed class CallTargets : IDisposable
{
    private CallTargets(ChildProcess agent, List<ChildProcess> backends)
    {
        Agent = agent;
        Backends = backends;
    }

    public ChildProcess Agent { get; }

    public List<ChildProcess> Backends { get; }

    /// <summary>Starts them; with <paramref name="checkInterval"/> each backend is registered with an HTTP check on <c>/health</c>.</summary>
    public static async Task<CallTargets> StartAsync(Harness h, string? checkInterval = null)
    {
        var started = await ChildProcess.StartAllAsync(h.StartAgentAsync("--dev"), h.StartBackendAsync(), h.StartBackendAsync(), h.StartBackendAsync());
        var targets = new CallTargets(started[0], [.. started[1..]]);
        try
        {
            using var http = new HttpClient { BaseAddress = targets.Agent.Address };
            foreach (var backend in targets.Backends)
            {
                var check = checkInterval is null ? "" : $$""","check":{"kind":"http","http":"/health","interval":"{{checkInterval}}","timeout":"1s"}""";
                using var content = new StringContent($$"""{"service_name":"calls","host":"127.0.0.1","port":{{backend.Address.Port}},"ttl":0{{check}}}""", Encoding.UTF8, "application/json");
                (await http.PostAsync("/service-discovery/register", content)).EnsureSuccessStatusCode();
            }
            return targets;
        }
        catch
        {
            targets.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Agent.Dispose();
        Backends.ForEach(b => b.Dispose());
    }
}
