using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Consistency.Tests.Histories;

/// <summary>The operations of a run, in invocation order; safe to record into from many clients at once.</summary>
public sealed class History
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };
    private readonly Lock _lock = new();
    private readonly List<Operation> _operations = [];

    /// <summary>An empty history.</summary>
    public History()
    {
    }

    /// <summary>A history of <paramref name="operations"/> (hand-written or replayed); their ids are renumbered by position.</summary>
    public History(IEnumerable<Operation> operations)
    {
        foreach (var operation in operations)
            _operations.Add(operation with { Id = _operations.Count });
    }

    /// <summary>The clock of every timestamp in a history.</summary>
    public static long Now() => Stopwatch.GetTimestamp();

    /// <summary>How many operations it holds.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _operations.Count;
        }
    }

    /// <summary>A copy of the operations so far.</summary>
    public IReadOnlyList<Operation> Operations
    {
        get
        {
            lock (_lock)
                return [.. _operations];
        }
    }

    /// <summary>Records the invocation of <paramref name="operation"/> now (outcome unknown until completed) and returns its id.</summary>
    public int Invoke(Operation operation)
    {
        lock (_lock)
        {
            var id = _operations.Count;
            _operations.Add(operation with { Id = id, Invoked = Now(), Completed = 0, Outcome = Outcome.Unknown });
            return id;
        }
    }

    /// <summary>Records how operation <paramref name="id"/> ended, now.</summary>
    public void Complete(int id, Outcome outcome, long? index = null, IReadOnlyDictionary<string, int>? observed = null, string? detail = null)
    {
        var now = Now();
        lock (_lock)
            _operations[id] = _operations[id] with { Completed = now, Outcome = outcome, Index = index, Observed = observed, Detail = detail };
    }

    /// <summary>Records an instantaneous observation (a watch event, a fault) now.</summary>
    public void Observe(Operation operation)
    {
        lock (_lock)
        {
            var now = Now();
            _operations.Add(operation with { Id = _operations.Count, Invoked = now, Completed = now });
        }
    }

    /// <summary>Writes every operation as one JSON line to <paramref name="path"/>, for <see cref="Load"/>.</summary>
    public void Save(string path)
        => File.WriteAllLines(path, Operations.Select(o => JsonSerializer.Serialize(o, Json)));

    /// <summary>Reads a history <see cref="Save"/> wrote.</summary>
    public static History Load(string path)
        => new(File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<Operation>(l, Json)!));
}
