using System.CommandLine;
using System.Text;
using Switchboard.Cli.Output;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registration;

namespace Switchboard.Cli.Commands;

/// <summary>The read commands: <c>services</c>, <c>instances</c>, <c>discover</c>, <c>health</c>.</summary>
internal static class QueryCommands
{
    public static Argument<string> ServiceArgument()
    {
        var argument = new Argument<string>("service") { Description = "The service's name" };
        argument.Validators.Add(r =>
        {
            if (ServiceNames.Validate(r.GetValueOrDefault<string>()) is { } error)
                r.AddError($"service name {error}");
        });
        return argument;
    }

    public static Command Services()
    {
        var healthy = new Option<bool>("--healthy") { Description = "Only services with a healthy instance" };
        var tag = new Option<string?>("--tag") { Description = "Only services with an instance carrying this tag" };
        var command = new Command("services", "List the registered services") { healthy, tag };
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var list = await client.ServicesAsync(parse.GetValue(healthy), parse.GetValue(tag), ct);
            if (parse.GetValue(GlobalOptions.Json))
                Render.Json(list, SwitchboardJsonContext.Default.ServiceList);
            else
                Render.Table(["SERVICE", "INSTANCES", "HEALTHY", "TAGS", "VERSIONS"],
                    list.Services.Select(s => new[] { s.ServiceName, s.Instances.ToString(), s.HealthyInstances.ToString(), string.Join(",", s.Tags), string.Join(",", s.Versions) }));
            return 0;
        });
        return command;
    }

    public static Command Instances()
    {
        var service = ServiceArgument();
        var healthy = new Option<bool>("--healthy") { Description = "Only healthy instances" };
        var tags = new Option<string[]>("--tag") { Description = "Only instances carrying this tag (repeatable, all must match)", AllowMultipleArgumentsPerToken = false };
        var version = new Option<string?>("--version") { Description = "Only instances of this version" };
        var wide = new Option<bool>("--wide", "-w") { Description = "Show each check's whole output instead of its first 40 characters" };
        var command = new Command("instances", "List a service's instances") { service, healthy, tags, version, wide };
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var name = parse.GetValue(service)!;
            var query = BuildQuery(parse.GetValue(healthy), parse.GetValue(tags), parse.GetValue(version), null);
            var (instances, _) = await client.InstancesAsync(name, query, ct);
            if (instances.Length == 0)
                await RequireServiceAsync(client, name, ct);
            if (parse.GetValue(GlobalOptions.Json))
                Render.Json(instances, SwitchboardJsonContext.Default.ServiceInstanceArray);
            else
                PrintInstances(instances, parse.GetValue(wide));
            return 0;
        });
        return command;
    }

    /// <summary>Fails with a suggestion when the registry has never heard of <paramref name="service"/> (a typo, not an empty service).</summary>
    public static async Task RequireServiceAsync(RegistryApiClient client, string service, CancellationToken ct)
    {
        var known = (await client.ServicesAsync(false, null, ct)).Services.Select(s => s.ServiceName).ToList();
        if (known.Contains(service, StringComparer.Ordinal))
            return;
        var suggestion = ParseErrors.Closest(service, known) is { } closest ? $"; did you mean '{closest}'?" : known.Count == 0 ? "; no service is registered yet" : "";
        throw new CliException($"no service named '{service}' is registered{suggestion} (see 'switchboard services')");
    }

    public static void PrintInstances(IEnumerable<ServiceInstance> instances, bool wide = false)
        => Render.Table(["INSTANCE", "URL", "STATUS", "VERSION", "TAGS", "OUTPUT"],
            instances.Select(i => new[] { i.InstanceId, i.BaseUrl, i.Status.ToWireName(), i.Version, string.Join(",", i.Tags), wide ? i.Output : Truncate(i.Output, 40) }));

    public static string BuildQuery(bool healthy, string[]? tags, string? version, long? index, TimeSpan? wait = null)
    {
        var sb = new StringBuilder();
        void Add(string key, string value) => sb.Append(sb.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
        if (healthy)
            Add("healthy", "true");
        foreach (var tag in tags ?? [])
            Add("tag", tag);
        if (version is not null)
            Add("version", version);
        if (index is { } i)
            Add("index", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (wait is { } w)
            Add("wait", Durations.Format(w));
        return sb.ToString();
    }

    public static Command Discover()
    {
        var service = ServiceArgument();
        var command = new Command("discover", "Pick one healthy instance of a service (round-robin)") { service };
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var found = await client.DiscoverAsync(parse.GetValue(service)!, ct);
            if (parse.GetValue(GlobalOptions.Json))
                Render.Json(found, SwitchboardJsonContext.Default.DiscoverResponse);
            else
                Render.Line($"{found.BaseUrl}  ({found.InstanceId}, {found.Status})");
            return 0;
        });
        return command;
    }

    public static Command Health()
    {
        var command = new Command("health", "Show the aggregated health of every service");
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var health = await client.HealthAsync(ct);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Render.Json(health, SwitchboardJsonContext.Default.AggregatedHealth);
                return 0;
            }
            Render.Line($"overall: {health.OverallStatus} ({health.HealthyServices} of {health.TotalServices} services healthy)");
            Render.Table(["SERVICE", "STATUS", "HEALTHY", "ENDPOINT", "LAST HEARTBEAT"],
                health.Services.Select(s => new[] { s.Key, s.Value.Status, $"{s.Value.HealthyInstances}/{s.Value.Instances}", s.Value.Endpoint, s.Value.LastHeartbeat?.ToString("u") ?? "" }));
            return 0;
        });
        return command;
    }

    private static string Truncate(string text, int max)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= max ? oneLine : oneLine[..(max - 1)] + "…";
    }
}
