using System.CommandLine;
using Switchboard.Cli.Output;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registration;

namespace Switchboard.Cli.Commands;

/// <summary>The write commands: <c>register</c>, <c>deregister</c>, <c>heartbeat</c>.</summary>
internal static class WriteCommands
{
    public static Command Register()
    {
        var name = new Option<string>("--name", "-n") { Description = "The service's name", Required = true };
        var host = new Option<string>("--host") { Description = "The host or IP callers use", Required = true };
        var port = new Option<int>("--port", "-p") { Description = "The port", Required = true };
        var id = new Option<string?>("--id") { Description = "The instance id (default: name-host-port)" };
        var protocol = new Option<string?>("--protocol") { Description = "http or https" };
        var path = new Option<string?>("--path") { Description = "The base path, e.g. /api/v1" };
        var tags = new Option<string[]>("--tag", "-t") { Description = "A tag (repeatable)" };
        var meta = new Option<string[]>("--meta", "-m") { Description = "Metadata as key=value (repeatable)" };
        var version = new Option<string?>("--version") { Description = "The instance's version" };
        var weight = new Option<int?>("--weight") { Description = "Relative weight for weighted load balancing (1-1000)" };
        var zone = new Option<string?>("--zone") { Description = "Availability zone" };
        var ttl = new Option<string?>("--ttl") { Description = "The lease, e.g. 30s; 0 for none (external services)" };
        var checkHttp = new Option<string?>("--check-http") { Description = "HTTP health check path or URL" };
        var checkTcp = new Option<bool>("--check-tcp") { Description = "TCP connect health check on host:port" };
        var interval = new Option<string?>("--check-interval") { Description = "Check interval, e.g. 10s" };
        var deregisterAfter = new Option<string?>("--deregister-after") { Description = "Remove after being critical this long" };
        var command = new Command("register", "Register (or update) an instance")
            { name, host, port, id, protocol, path, tags, meta, version, weight, zone, ttl, checkHttp, checkTcp, interval, deregisterAfter };
        command.SetAction(async (parse, ct) =>
        {
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(meta) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                    throw new CliException($"--meta must be key=value, not '{pair}'", CliErrors.Usage);
                metadata[pair[..eq]] = pair[(eq + 1)..];
            }
            HealthCheckSpec? check = null;
            if (parse.GetValue(checkHttp) is { } http)
                check = new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = http };
            else if (parse.GetValue(checkTcp))
                check = new HealthCheckSpec { Kind = HealthCheckKind.Tcp };
            if (check is not null)
                check = check with { Interval = Duration(parse.GetValue(interval), "--check-interval"), DeregisterCriticalAfter = Duration(parse.GetValue(deregisterAfter), "--deregister-after") };
            var registration = new ServiceRegistration
            {
                ServiceName = parse.GetValue(name),
                Host = parse.GetValue(host),
                Port = parse.GetValue(port),
                InstanceId = parse.GetValue(id),
                Protocol = parse.GetValue(protocol),
                Path = parse.GetValue(path),
                Tags = parse.GetValue(tags),
                Metadata = metadata.Count > 0 ? metadata : null,
                Version = parse.GetValue(version),
                Weight = parse.GetValue(weight),
                Zone = parse.GetValue(zone),
                Ttl = Duration(parse.GetValue(ttl), "--ttl"),
                Check = check,
            };
            // Validate locally first so the error names the CLI flag's field without a round trip.
            var errors = RegistrationValidator.Validate(registration, null, out _);
            if (errors.Count > 0)
                throw new CliException(string.Join(" ", errors.Values.SelectMany(v => v)), CliErrors.Usage);
            using var client = GlobalOptions.Client(parse);
            var result = await client.RegisterAsync(registration, ct);
            if (parse.GetValue(GlobalOptions.Json))
                Render.Json(result, SwitchboardJsonContext.Default.RegisterResponse);
            else
                Render.Line($"{(result.Created ? "registered" : "updated")} {result.InstanceId} (index {result.Index})");
            return 0;
        });
        return command;
    }

    private static TimeSpan? Duration(string? text, string option)
    {
        if (text is null)
            return null;
        return Durations.TryParse(text, out var value) && value >= TimeSpan.Zero
            ? value
            : throw new CliException($"{option} must be a duration such as 30s or 5m, not '{text}'", CliErrors.Usage);
    }

    public static Command Deregister()
    {
        var id = new Argument<string>("instance-id") { Description = "The instance to remove" };
        var command = new Command("deregister", "Remove an instance") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            await client.DeregisterAsync(parse.GetValue(id)!, ct);
            Render.Line($"deregistered {parse.GetValue(id)}");
            return 0;
        });
        return command;
    }

    public static Command Heartbeat()
    {
        var id = new Argument<string>("instance-id") { Description = "The instance whose lease to renew" };
        var status = new Option<string?>("--status") { Description = "passing, warning or critical (for TTL-checked instances)" };
        status.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } s && !HealthStatusNames.TryParse(s, out _))
                r.AddError($"--status must be passing, warning or critical, not '{s}'");
        });
        var output = new Option<string?>("--output") { Description = "A note kept as the check output" };
        var command = new Command("heartbeat", "Renew an instance's lease") { id, status, output };
        command.SetAction(async (parse, ct) =>
        {
            using var client = GlobalOptions.Client(parse);
            var result = await client.HeartbeatAsync(parse.GetValue(id)!, parse.GetValue(status), parse.GetValue(output), ct);
            Render.Line($"{result.InstanceId}: {result.Status}{(result.LeaseExpiresAt is { } at ? $", lease until {at:u}" : "")}");
            return 0;
        });
        return command;
    }
}
