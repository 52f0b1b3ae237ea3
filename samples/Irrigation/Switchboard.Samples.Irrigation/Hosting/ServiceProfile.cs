namespace Switchboard.Samples.Irrigation.Hosting;

/// <summary>What one sample service is: its registry name, seed 000 port, registration tags and metadata, services and routes.</summary>
/// <param name="Name">The name it registers under (and the value of <c>--service</c>).</param>
/// <param name="DefaultPort">Seed 000's port (<c>--port</c> overrides it; 0 picks a free one).</param>
/// <param name="Tags">Registration tags.</param>
/// <param name="Metadata">Registration metadata.</param>
/// <param name="AddServices">Registers the service's own dependencies.</param>
/// <param name="MapEndpoints">Maps the service's API.</param>
/// <param name="HasFaultSwitch">Whether the service has the fail / slow / down switch (the backends do).</param>
internal sealed record ServiceProfile(
    string Name,
    int DefaultPort,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Metadata,
    Action<IServiceCollection> AddServices,
    Action<IEndpointRouteBuilder> MapEndpoints,
    bool HasFaultSwitch = true)
{
    /// <summary>The version every sample service registers with.</summary>
    public const string Version = "1.0.0";

    /// <summary>Registration settings as configuration defaults, so that appsettings, environment and command line can override them.</summary>
    public Dictionary<string, string?> RegistrationDefaults()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Switchboard:ServiceName"] = Name,
            ["Switchboard:Registration:Version"] = Version,
        };
        for (var i = 0; i < Tags.Count; i++)
            values[$"Switchboard:Registration:Tags:{i}"] = Tags[i];
        foreach (var (key, value) in Metadata)
            values[$"Switchboard:Registration:Metadata:{key}"] = value;
        return values;
    }
}
