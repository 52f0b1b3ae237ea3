using System.Text.Json.Serialization;

namespace Switchboard.Consistency.Tests.Histories;

/// <summary>One operation of a history: who did what to which key, when it was invoked and completed, and what it saw.</summary>
/// <remarks>
/// Times are <see cref="System.Diagnostics.Stopwatch"/> timestamps of one machine (only their order matters). A register writes
/// a new version, its own <see cref="Id"/>, into the instance's metadata, so a read names exactly which write it observed.
/// </remarks>
public sealed record Operation
{
    /// <summary>Its position in the history (also the version a register writes).</summary>
    public int Id { get; init; }

    /// <summary>The client (or watcher, or nemesis) that performed it; each performs one operation at a time.</summary>
    public int Client { get; init; }

    /// <summary>What it did.</summary>
    public OperationKind Kind { get; init; }

    /// <summary>The node (agent) it was sent to.</summary>
    public string Node { get; init; } = "";

    /// <summary>The service it concerns.</summary>
    public string Service { get; init; } = "";

    /// <summary>The instance it wrote (writes, watch events).</summary>
    public string? InstanceId { get; init; }

    /// <summary>When it was invoked.</summary>
    public long Invoked { get; init; }

    /// <summary>When its client learnt the outcome (for <see cref="Outcome.Unknown"/>: when it gave up).</summary>
    public long Completed { get; init; }

    /// <summary>How it ended.</summary>
    public Outcome Outcome { get; init; }

    /// <summary>The index it observed: a read's index header, a register's answer, a watch event's id.</summary>
    public long? Index { get; init; }

    /// <summary>What a read (or watch event) saw: instance id to version; null for writes.</summary>
    public IReadOnlyDictionary<string, int>? Observed { get; init; }

    /// <summary>True for the reads made after the faults were healed, which the lost-write check compares with the model.</summary>
    public bool Final { get; init; }

    /// <summary>Free text: the status code, the error, the event type, the fault.</summary>
    public string? Detail { get; init; }

    /// <summary>When it can no longer take effect: its completion if acknowledged or refused, never if its outcome is unknown.</summary>
    [JsonIgnore]
    public long EffectiveEnd => Outcome == Outcome.Unknown ? long.MaxValue : Completed;
}
