using Switchboard.Instances;

namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    /// <summary>The visible changes by kind since the last periodic summary (<see cref="Diagnostics.CatalogActivityLog"/>).</summary>
    internal ChangeTally Tally { get; } = new();

    /// <summary>How many services readers see with at least one instance.</summary>
    /// <remarks>O(services): read by the metrics' gauges at each collection, never on a request path.</remarks>
    public int ServiceCount
    {
        get
        {
            var count = 0;
            foreach (var entry in _services.Values)
            {
                if (entry.View.Instances.Count > 0)
                    count++;
            }
            return count;
        }
    }

    /// <summary>How many instances readers see with each status, indexed by <see cref="HealthStatus"/>.</summary>
    /// <remarks>O(instances): read by the metrics' gauges at each collection, never on a request path.</remarks>
    public int[] CountByStatus()
    {
        var counts = new int[3];
        foreach (var entry in _services.Values)
        {
            foreach (var instance in entry.View.Instances)
                counts[(int)instance.Status]++;
        }
        return counts;
    }
}
