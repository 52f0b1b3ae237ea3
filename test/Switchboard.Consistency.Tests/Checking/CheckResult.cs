using System.Text;
using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests.Checking;

/// <summary>What the <see cref="Checker"/> found in a history: counts of operations and the anomalies.</summary>
/// <param name="Operations">Every operation checked.</param>
/// <param name="Anomalies">The violations found; empty when the history fits the model.</param>
public sealed record CheckResult(IReadOnlyList<Operation> Operations, IReadOnlyList<Anomaly> Anomalies)
{
    /// <summary>Whether the history fits the model.</summary>
    public bool Valid => Anomalies.Count == 0;

    /// <summary>The client operations (reads, writes, watch events), not counting faults.</summary>
    public int OperationCount => Operations.Count(o => o.Kind != OperationKind.Fault);

    /// <summary>The faults the nemesis injected.</summary>
    public int FaultCount => Operations.Count(o => o.Kind == OperationKind.Fault);

    /// <summary>Operations by kind and outcome, faults by name, anomalies by kind with the first few in full.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.AppendLine($"{OperationCount} operations, {FaultCount} faults, {Anomalies.Count} anomalies");
        foreach (var kind in Operations.Where(o => o.Kind != OperationKind.Fault).GroupBy(o => o.Kind).OrderBy(g => g.Key))
        {
            var outcomes = kind.GroupBy(o => o.Outcome).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString().ToLowerInvariant()} {g.Count()}");
            text.AppendLine($"  {kind.Key,-12} {kind.Count(),6}: {string.Join(", ", outcomes)}");
        }
        foreach (var fault in Operations.Where(o => o.Kind == OperationKind.Fault).GroupBy(o => o.Detail?.Split(' ')[0]).OrderBy(g => g.Key))
            text.AppendLine($"  fault {fault.Key,-6} {fault.Count(),6}");
        foreach (var kind in Anomalies.GroupBy(a => a.Kind).OrderBy(g => g.Key))
        {
            text.AppendLine($"  anomaly {kind.Key}: {kind.Count()}");
            foreach (var anomaly in kind.Take(5))
                text.AppendLine($"    {anomaly}");
        }
        return text.ToString();
    }
}
