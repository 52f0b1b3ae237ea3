namespace Switchboard.Api;

/// <summary>One service in a service listing.</summary>
/// <param name="ServiceName">The service's name.</param>
/// <param name="Instances">How many instances it has.</param>
/// <param name="HealthyInstances">How many of them are healthy.</param>
/// <param name="Tags">The union of its instances' tags, sorted.</param>
/// <param name="Versions">The distinct versions of its instances, sorted.</param>
/// <param name="Index">The catalog index of the service's last change.</param>
public sealed record ServiceSummary(string ServiceName, int Instances, int HealthyInstances, IReadOnlyList<string> Tags, IReadOnlyList<string> Versions, long Index)
{
    /// <summary>How many of its instances are passing.</summary>
    public int Passing { get; init; }

    /// <summary>How many of its instances are warning (healthy, still receiving traffic).</summary>
    public int Warning { get; init; }

    /// <summary>How many of its instances are critical.</summary>
    public int Critical { get; init; }
}

/// <summary>The answer to the service listings.</summary>
/// <param name="Services">The services, sorted by name.</param>
/// <param name="Total">How many services are listed.</param>
/// <param name="Index">The catalog index the listing reflects.</param>
public sealed record ServiceList(IReadOnlyList<ServiceSummary> Services, int Total, long Index);
