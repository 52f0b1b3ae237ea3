namespace Switchboard.Consistency.Tests.Checking;

/// <summary>One violation of the model: its kind, what it is in words, and the ids of the operations involved.</summary>
/// <param name="Kind">Which property it violates.</param>
/// <param name="Description">What was observed and what the model allows.</param>
/// <param name="Operations">The ids of the operations involved, the offending one first.</param>
public sealed record Anomaly(AnomalyKind Kind, string Description, IReadOnlyList<int> Operations)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Description} (operations {string.Join(", ", Operations)})";
}
