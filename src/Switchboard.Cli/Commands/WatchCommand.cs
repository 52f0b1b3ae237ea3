using System.CommandLine;
using Switchboard.Cli.Output;
using Switchboard.Instances;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard watch &lt;service&gt;</c>: prints the service's instances each time they change (blocking queries).</summary>
internal static class WatchCommand
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    public static Command Create()
    {
        var service = QueryCommands.ServiceArgument();
        var healthy = new Option<bool>("--healthy") { Description = "Only healthy instances" };
        var command = new Command("watch", "Print a service's instances now and every time they change (Ctrl-C to stop)") { service, healthy };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(service)!;
            using var client = GlobalOptions.Client(parse, Wait + TimeSpan.FromSeconds(30));
            Dictionary<string, HealthStatus>? previous = null;
            long index = 0;
            var failures = 0;
            while (!ct.IsCancellationRequested)
            {
                ServiceInstance[] instances;
                try
                {
                    // The first read answers at once (a service that does not exist yet is shown as 0 instances), then block.
                    var query = previous is null
                        ? QueryCommands.BuildQuery(parse.GetValue(healthy), null, null, null)
                        : QueryCommands.BuildQuery(parse.GetValue(healthy), null, null, index, Wait);
                    (instances, var next) = await client.InstancesAsync(name, query, ct);
                    if (next < index)
                        next = 0; // the registry restarted with a lower index: start over
                    index = next;
                    failures = 0;
                }
                catch (CliException ex) when (!ct.IsCancellationRequested && ++failures <= 30)
                {
                    Console.Error.WriteLine($"switchboard: {TerminalText.Escape(ex.Message)} (retrying)");
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(10, failures)), ct);
                    continue;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    break;
                }
                var current = instances.ToDictionary(i => i.InstanceId, i => i.Status, StringComparer.Ordinal);
                PrintChanges(name, index, previous, current, instances);
                previous = current;
            }
            return CliErrors.Interrupted; // only Ctrl-C ends a watch
        });
        return command;
    }

    private static void PrintChanges(string service, long index, Dictionary<string, HealthStatus>? previous, Dictionary<string, HealthStatus> current, ServiceInstance[] instances)
    {
        var stamp = $"[index {index}]";
        if (previous is null)
        {
            Render.Line($"{stamp} {service}: {instances.Length} instance(s)");
            foreach (var i in instances)
                Render.Line($"  {i.InstanceId} {i.BaseUrl} {i.Status.ToWireName()}");
        }
        else
        {
            foreach (var i in instances)
            {
                if (!previous.TryGetValue(i.InstanceId, out var before))
                    Render.Line($"{stamp} + {i.InstanceId} {i.BaseUrl} {i.Status.ToWireName()}");
                else if (before != i.Status)
                    Render.Line($"{stamp} ~ {i.InstanceId} {before.ToWireName()} -> {i.Status.ToWireName()}");
            }
            foreach (var id in previous.Keys.Where(id => !current.ContainsKey(id)))
                Render.Line($"{stamp} - {id}");
        }
        Console.Out.Flush();
    }
}
