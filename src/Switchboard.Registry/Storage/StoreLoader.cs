using Microsoft.Extensions.Logging;
using Switchboard.Instances;
using Switchboard.Registry.Catalog.Compaction;

namespace Switchboard.Registry.Storage;

/// <summary>What <see cref="StoreLoader"/> found in the data directory.</summary>
internal sealed class LoadedState
{
    public Dictionary<string, ServiceInstance> Instances { get; } = new(StringComparer.Ordinal);

    /// <summary>The highest index loaded.</summary>
    public long Index { get; set; }

    /// <summary>The journal segments in load order.</summary>
    public List<string> Segments { get; set; } = [];

    /// <summary>Records in the journal segments newer than the snapshot.</summary>
    public int JournalRecords { get; set; }

    /// <summary>Whether something damaged was dropped (with <see cref="EmbeddedStoreOptions.Recover"/>): the files must be rewritten.</summary>
    public bool Dropped { get; set; }

    /// <summary>Whether the snapshot itself was damaged and dropped.</summary>
    public bool SnapshotDropped { get; set; }
}

/// <summary>
/// Loads the data directory: the snapshot, then every journal segment in order (records above the snapshot's index).
/// A torn tail of the last segment (a crash mid-write, never acknowledged) is cut off the file; any other damaged record
/// stops the load with <see cref="StoreCorruptException"/>, or with <c>recover</c> is dropped and logged.
/// </summary>
internal sealed partial class StoreLoader(string directory, bool recover, ILogger logger)
{
    public LoadedState Load()
    {
        var state = new LoadedState();
        LoadSnapshot(state);
        state.Segments = DataFiles.Segments(directory);
        var snapshotIndex = state.Index;
        for (var i = 0; i < state.Segments.Count; i++)
            Replay(state, state.Segments[i], snapshotIndex, last: i == state.Segments.Count - 1);
        return state;
    }

    private void LoadSnapshot(LoadedState state)
    {
        var path = Path.Combine(directory, DataFiles.SnapshotName);
        if (!File.Exists(path))
            return;
        try
        {
            var snapshot = SnapshotFiles.Read(path);
            state.Index = snapshot.Index;
            state.Instances.EnsureCapacity(snapshot.Instances.Count);
            foreach (var instance in snapshot.Instances)
                state.Instances[instance.InstanceId] = instance; // already compacted by the reader
        }
        catch (StoreCorruptException ex) when (recover)
        {
            Log.SnapshotDropped(logger, path, ex.Offset, ex.Reason);
            state.Dropped = state.SnapshotDropped = true;
        }
    }

    private void Replay(LoadedState state, string path, long snapshotIndex, bool last)
    {
        var dropped = JournalReplay.Replay(path, JournalJsonContext.Default.JournalRecord,
            static r => r.Put is null && r.Del is null ? "neither a put nor a removal" : null,
            record =>
            {
                if (record.I <= snapshotIndex)
                    return;
                Apply(state, record);
                state.JournalRecords++;
            }, last, recover, logger, InstanceJsonReader.TryReadRecord);
        if (dropped > 0)
            state.Dropped = true;
    }

    private static void Apply(LoadedState state, JournalRecord record)
    {
        if (record.Put is { } instance)
            state.Instances[instance.InstanceId] = InstanceCompaction.Compact(instance);
        else if (record.Del is { } id)
            state.Instances.Remove(id);
        state.Index = Math.Max(state.Index, record.I);
    }

    private static partial class Log
    {
        [LoggerMessage(46, LogLevel.Critical, "RECOVER: the snapshot {File} is corrupt at offset {Offset} ({Reason}) and was dropped: starting from what the journal holds alone (possibly empty); instances only in the snapshot are lost", EventName = "SnapshotDropped")]
        public static partial void SnapshotDropped(ILogger logger, string file, long offset, string reason);
    }
}
