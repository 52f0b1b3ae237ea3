namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// A Switchboard agent (<c>switchboard agent</c>) run by the AppHost as an executable: its HTTP endpoint serves the
/// native, Consul and Eureka APIs and the dashboard; projects that reference it get <c>Switchboard:Registries</c>.
/// </summary>
/// <param name="name">The resource name.</param>
/// <param name="command">The executable that runs the agent: <c>switchboard</c> (the dotnet tool) by default.</param>
/// <param name="workingDirectory">The agent's working directory.</param>
public sealed class SwitchboardResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithServiceDiscovery
{
    /// <summary>The name of the agent's HTTP endpoint.</summary>
    public const string HttpEndpointName = "http";

    /// <summary>The agent's HTTP endpoint: its base URL is what referencing projects get as a registry.</summary>
    public EndpointReference HttpEndpoint => field ??= new EndpointReference(this, HttpEndpointName);

    /// <summary>Where the agent keeps its catalog (<c>--data-dir</c>), or <see langword="null"/> to keep it in memory (<c>--dev</c>).</summary>
    public string? DataDirectory { get; internal set; }

    /// <summary>Arguments before <c>agent</c>: the agent's assembly when it runs as <c>dotnet switchboard.dll</c>.</summary>
    internal List<string> LeadingArguments { get; } = [];
}
