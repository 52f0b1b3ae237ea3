using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Switchboard.Api;

namespace Aspire.Hosting;

/// <summary>Adds a Switchboard agent to an Aspire AppHost and hands its address to the projects that reference it.</summary>
public static class SwitchboardResourceBuilderExtensions
{
    /// <summary>The command that runs the agent by default: the <c>switchboard</c> dotnet tool on the <c>PATH</c>.</summary>
    public const string DefaultCommand = "switchboard";

    /// <summary>
    /// Adds a Switchboard agent: <c>switchboard agent --bind 127.0.0.1 --port {port} --dns-port 0 --dev</c> (in memory until
    /// <see cref="WithDataDirectory"/> names a directory), with an HTTP endpoint named <c>http</c> and a health check on
    /// the agent's <c>/health</c>.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="name">The resource name (letters, digits and hyphens, starting with a letter).</param>
    /// <param name="port">The host port the AppHost exposes the agent on (1-65535), or <see langword="null"/> for a free one.</param>
    /// <returns>The agent's resource builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 1-65535.</exception>
    public static IResourceBuilder<SwitchboardResource> AddSwitchboard(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (port is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(port), port, $"AddSwitchboard(\"{name}\", port): the port must be between 1 and 65535, or null for a free one.");

        var resource = new SwitchboardResource(name, DefaultCommand, builder.AppHostDirectory);
        var http = resource.HttpEndpoint;
        return builder.AddResource(resource)
            .WithHttpEndpoint(port: port, name: SwitchboardResource.HttpEndpointName)
            .WithArgs(context =>
            {
                foreach (var argument in resource.LeadingArguments)
                    context.Args.Add(argument);
                context.Args.Add("agent");
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--port");
                context.Args.Add(http.Property(EndpointProperty.TargetPort));
                // The AppHost may run several agents; DNS (8600 by default) is for Consul-style clients, not Aspire's.
                context.Args.Add("--dns-port");
                context.Args.Add("0");
                if (resource.DataDirectory is { } dataDirectory)
                {
                    context.Args.Add("--data-dir");
                    context.Args.Add(dataDirectory);
                }
                else
                {
                    context.Args.Add("--dev");
                }
            })
            .WithHttpHealthCheck(RegistryRoutes.Health, endpointName: SwitchboardResource.HttpEndpointName);
    }

    /// <summary>
    /// Keeps the agent's catalog in <paramref name="path"/> (<c>--data-dir</c>) across AppHost runs instead of in memory.
    /// A relative path is taken from the AppHost's directory. One agent at a time may use a directory (a lock file guards it).
    /// </summary>
    /// <param name="builder">The agent's resource builder.</param>
    /// <param name="path">The data directory.</param>
    /// <returns>The agent's resource builder.</returns>
    public static IResourceBuilder<SwitchboardResource> WithDataDirectory(this IResourceBuilder<SwitchboardResource> builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException($"WithDataDirectory on '{builder.Resource.Name}': the path is empty.", nameof(path));
        if (path.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            throw new ArgumentException($"WithDataDirectory on '{builder.Resource.Name}': '{path}' is not a valid path.", nameof(path));
        builder.Resource.DataDirectory = Path.GetFullPath(path, builder.ApplicationBuilder.AppHostDirectory);
        return builder;
    }

    /// <summary>
    /// Runs the agent from <paramref name="path"/> instead of the <c>switchboard</c> tool on the <c>PATH</c>: the tool's
    /// executable, or its <c>switchboard.dll</c> (run with <c>dotnet</c>), for example a build of the repository.
    /// </summary>
    /// <param name="builder">The agent's resource builder.</param>
    /// <param name="path">The agent's executable or assembly; it must exist.</param>
    /// <returns>The agent's resource builder.</returns>
    /// <exception cref="FileNotFoundException"><paramref name="path"/> does not exist.</exception>
    public static IResourceBuilder<SwitchboardResource> WithAgentPath(this IResourceBuilder<SwitchboardResource> builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path, builder.ApplicationBuilder.AppHostDirectory);
        if (!File.Exists(full))
            throw new FileNotFoundException($"WithAgentPath on '{builder.Resource.Name}': the agent '{full}' does not exist.", full);

        builder.Resource.LeadingArguments.Clear();
        if (full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            builder.Resource.LeadingArguments.Add(full);
            return builder.WithCommand("dotnet");
        }

        return builder.WithCommand(full);
    }

    /// <summary>
    /// Gives <paramref name="builder"/>'s resource the agent as a registry: <c>Switchboard__Registries__N</c> (the
    /// configuration key <c>Switchboard:Registries:N</c>, N counting from 0 over the registries it references) set to the
    /// agent's HTTP URL, the Aspire service-discovery entry <c>services__{name}__http__0</c>, and a reference relationship
    /// (the dashboard draws it). Add <c>WaitFor(registry)</c> to start the project once the agent is healthy.
    /// </summary>
    /// <typeparam name="TDestination">The referencing resource (a project, an executable, a container).</typeparam>
    /// <param name="builder">The referencing resource's builder.</param>
    /// <param name="registry">The agent.</param>
    /// <returns>The referencing resource's builder.</returns>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(this IResourceBuilder<TDestination> builder, IResourceBuilder<SwitchboardResource> registry)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(registry);
        var index = builder.Resource.Annotations.OfType<SwitchboardRegistryAnnotation>().Count();
        if (builder.Resource.Annotations.OfType<SwitchboardRegistryAnnotation>().Any(a => ReferenceEquals(a.Registry, registry.Resource)))
            return builder;

        builder.Resource.Annotations.Add(new SwitchboardRegistryAnnotation(registry.Resource));
        var key = "Switchboard__Registries__" + index.ToString(CultureInfo.InvariantCulture);
        return builder
            .WithEnvironment(key, registry.Resource.HttpEndpoint)
            .WithReference((IResourceBuilder<IResourceWithServiceDiscovery>)registry);
    }
}
