using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;
using Switchboard.Samples.Irrigation.Faults;

namespace Switchboard.Samples.Irrigation.Hosting;

/// <summary>
/// Runs one sample service: Kestrel on 127.0.0.1, JSON console logs with scopes, the Switchboard client with
/// self-registration (tags, metadata, version, /health probed by the registry), the request-id middleware, and for the
/// backends the fault switch. Prints one plain line, <c>NAME listening on URL</c>, once it accepts requests.
/// </summary>
internal static class SampleHost
{
    public const string Usage =
        "usage: Switchboard.Samples.Irrigation --service NAME [--port N] [--registry URL] [--fault none|fail|slow|down]\n" +
        "  NAME: gis-service, ros-service, scada-service, weather-service, sensor-data-service or gravity-optimizer\n" +
        "  --port: 0 picks a free port (default: seed 000's port of the service)\n" +
        "  --registry: the Switchboard agent (default http://127.0.0.1:8500)";

    public static async Task<int> RunAsync(string[] args)
    {
        // The switches are read from the command line only (an environment variable such as PORT must not move a service).
        var switches = new ConfigurationBuilder().AddCommandLine(args).Build();
        if (ServiceProfiles.Find(switches["service"]) is not { } profile)
            return Fail($"unknown or missing --service '{switches["service"]}'\n{Usage}", 2);
        if (!int.TryParse(switches["port"] ?? profile.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture), out var port) || port is < 0 or > 65535)
            return Fail($"--port must be a number from 0 to 65535 (got '{switches["port"]}')\n{Usage}", 2);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        Configure(builder, profile, port, switches);
        if (profile.HasFaultSwitch && FaultSwitch.Parse(builder.Configuration["Fault:Mode"]) is null)
            return Fail($"--fault (Fault:Mode) must be none, fail, slow or down (got '{builder.Configuration["Fault:Mode"]}')", 2);
        await using var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestIdMiddleware>();
        if (profile.HasFaultSwitch)
        {
            app.UseMiddleware<FaultMiddleware>();
            app.MapFaultApi();
        }
        app.MapSwitchboardHealth();
        profile.MapEndpoints(app);

        try
        {
            await app.StartAsync();
        }
        catch (IOException ex)
        {
            return Fail($"{profile.Name} cannot listen on 127.0.0.1:{port}: {ex.Message} (choose another with --port, or 0 for a free one)", 1);
        }
        catch (OptionsValidationException ex)
        {
            return Fail($"{profile.Name}: invalid configuration: {string.Join("; ", ex.Failures)}", 1);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        await Console.Out.WriteLineAsync($"{profile.Name} listening on {address}");
        await Console.Out.FlushAsync();
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static void Configure(WebApplicationBuilder builder, ServiceProfile profile, int port, IConfiguration switches)
    {
        // Lowest precedence: the profile's registration; then appsettings, environment, command line; then the switches.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = profile.RegistrationDefaults() });
        var values = new Dictionary<string, string?>();
        if (switches["registry"] is { Length: > 0 } registry)
            values["Switchboard:Registries:0"] = registry;
        if (switches["fault"] is { Length: > 0 } fault)
            values["Fault:Mode"] = fault;
        builder.Configuration.AddInMemoryCollection(values);
        SeedEnvironment.AddServiceUrlFallbacks(builder.Configuration);

        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });

        builder.Services.ConfigureHttpJsonOptions(o => SampleJson.Apply(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddSwitchboard();
        if (profile.HasFaultSwitch)
        {
            builder.Services.AddSingleton<FaultSwitch>();
            builder.Services.AddHealthChecks().AddCheck<FaultSwitchHealthCheck>("fault_switch");
        }
        profile.AddServices(builder.Services);
    }

    private static int Fail(string message, int code)
    {
        Console.Error.WriteLine($"irrigation: {message}");
        return code;
    }
}
