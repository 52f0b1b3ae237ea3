namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>The small key space the clients contend on: a few services, a few instance ids each.</summary>
/// <param name="Services">The service names.</param>
/// <param name="InstancesPerService">How many instance ids each service has.</param>
public sealed record KeySpace(IReadOnlyList<string> Services, int InstancesPerService)
{
    /// <summary>Two services of eight instance ids.</summary>
    public static KeySpace Default { get; } = new(["alpha", "beta"], 8);

    /// <summary>A service and one of its instance ids, chosen by <paramref name="random"/>.</summary>
    public (string Service, string InstanceId) Pick(Random random)
    {
        var service = Services[random.Next(Services.Count)];
        return (service, $"{service}-{random.Next(InstancesPerService)}");
    }

    /// <summary>The port an instance registers with (any value works: it has no health check).</summary>
    public static int PortOf(string instanceId) => 20000 + int.Parse(instanceId[(instanceId.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
