using Microsoft.Extensions.Options;
using Switchboard.Instances;

namespace Switchboard.Client.Discovery;

/// <summary>
/// The fallbacks after the registry, in order: configured static URLs, the <c>{NAME}_SERVICE_URL</c> environment
/// variable (<see cref="ServiceUrlVariables"/>), then DNS.
/// </summary>
internal sealed class FallbackResolver(IOptions<SwitchboardOptions> options, IDnsServiceResolver dns)
{
    private readonly SwitchboardOptions _options = options.Value;

    /// <summary>Looks <paramref name="serviceName"/> up in the fallbacks; the first that has instances wins.</summary>
    /// <param name="serviceName">The service.</param>
    /// <param name="tried">Receives one line per source consulted.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    public async Task<(IReadOnlyList<ServiceInstance> Instances, DiscoverySource Source)> ResolveAsync(string serviceName, List<string> tried, CancellationToken cancellationToken)
    {
        var key = $"{SwitchboardOptions.SectionName}:Static:{serviceName}";
        if (_options.Static.TryGetValue(serviceName, out var urls))
        {
            var instances = StaticInstances(serviceName, urls);
            tried.Add($"static ({key}): {instances.Count} URL(s)");
            if (instances.Count > 0)
                return (instances, DiscoverySource.Static);
        }
        else
        {
            tried.Add($"static: no {key}");
        }

        var variable = ServiceUrlVariables.NameOf(serviceName);
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
        {
            var instances = StaticInstances(serviceName, fromEnvironment);
            tried.Add(instances.Count > 0
                ? $"environment ({variable}): {instances.Count} URL(s)"
                : $"environment ({variable}): '{fromEnvironment}' holds no absolute http or https URL");
            if (instances.Count > 0)
                return (instances, DiscoverySource.Static);
        }
        else
        {
            tried.Add($"environment: no {variable}");
        }

        if (!_options.Dns.Enabled)
        {
            tried.Add($"DNS: disabled ({SwitchboardOptions.SectionName}:Dns:Enabled is false)");
            return ([], DiscoverySource.None);
        }
        var (found, query) = await dns.ResolveAsync(serviceName, cancellationToken);
        tried.Add($"DNS {query}");
        return found.Count > 0 ? (found, DiscoverySource.Dns) : ([], DiscoverySource.None);
    }

    /// <summary>The instances of the configured static URLs of a service (already validated at start).</summary>
    public static IReadOnlyList<ServiceInstance> StaticInstances(string serviceName, string urls)
    {
        var parts = StaticUrls.Split(urls);
        var result = new List<ServiceInstance>(parts.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            if (!Uri.TryCreate(parts[i], UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
                continue;
            result.Add(new ServiceInstance
            {
                InstanceId = $"static-{serviceName}-{i}",
                ServiceName = serviceName,
                Host = uri.Host.Trim('[', ']'),
                Port = uri.Port,
                Protocol = uri.Scheme,
                Path = uri.AbsolutePath.TrimEnd('/'),
                Status = HealthStatus.Passing,
            });
        }
        return result;
    }
}
