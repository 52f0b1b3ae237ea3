using System.Text.Json;
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
        var legacy = DataFiles.IsLegacyJournal(path);
        var dropped = 0;
        using (var reader = new LineReader(path))
        {
            while (reader.TryRead(out var offset, out var line, out var terminated))
            {
                if (line.IsEmpty)
                    continue;
                JournalRecord? record = null;
                var problem = terminated ? Parse(line, legacy, out record) : "no final newline";
                if (problem is null)
                {
                    if (record!.I > snapshotIndex)
                    {
                        Apply(state, record);
                        state.JournalRecords++;
                    }
                    continue;
                }
                if (last && reader.AtEnd())
                {
                    reader.Dispose();
                    CutBack(path, offset, problem);
                    break;
                }
                if (!recover)
                    throw new StoreCorruptException(path, offset, problem);
                Log.RecordDropped(logger, path, offset, line.Length + (terminated ? 1 : 0), problem);
                dropped++;
                state.Dropped = true;
            }
        }
        if (dropped > 0)
            Log.DroppedFromSegment(logger, path, dropped);
    }

    private static string? Parse(ReadOnlySpan<byte> line, bool legacy, out JournalRecord? record)
    {
        record = null;
        if (RecordLine.Check(line, legacy, out var json) is { } problem)
            return problem;
        if (InstanceJsonReader.TryReadRecord(json, out record))
            return null;
        try
        {
            record = JsonSerializer.Deserialize(json, JournalJsonContext.Default.JournalRecord);
        }
        catch (JsonException ex)
        {
            return $"not a valid record: {ex.Message}";
        }
        return record is null || record.Put is null && record.Del is null ? "neither a put nor a removal" : null;
    }

    private static void Apply(LoadedState state, JournalRecord record)
    {
        if (record.Put is { } instance)
            state.Instances[instance.InstanceId] = InstanceCompaction.Compact(instance);
        else if (record.Del is { } id)
            state.Instances.Remove(id);
        state.Index = Math.Max(state.Index, record.I);
    }

    /// <summary>Cuts the torn tail off (as etcd's WAL repair does), so the next record is appended after the last whole one.</summary>
    private void CutBack(string path, long offset, string problem)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        var dropped = file.Length - offset;
        file.SetLength(offset);
        file.Flush(flushToDisk: true);
        Log.TornTailCut(logger, path, offset, dropped, problem);
    }

    private static partial class Log
    {
        [LoggerMessage(43, LogLevel.Warning, "Cut the torn tail off {File} at offset {Offset}: dropped {Bytes} bytes ({Reason}); an incomplete write is never acknowledged", EventName = "JournalTornTailCut")]
        public static partial void TornTailCut(ILogger logger, string file, long offset, long bytes, string reason);

        [LoggerMessage(44, LogLevel.Error, "RECOVER: dropped the corrupt record at offset {Offset} of {File} ({Bytes} bytes): {Reason}", EventName = "JournalRecordDropped")]
        public static partial void RecordDropped(ILogger logger, string file, long offset, int bytes, string reason);

        [LoggerMessage(45, LogLevel.Error, "RECOVER: dropped {Count} corrupt records of {File}", EventName = "JournalRecordsDropped")]
        public static partial void DroppedFromSegment(ILogger logger, string file, int count);

        [LoggerMessage(46, LogLevel.Critical, "RECOVER: the snapshot {File} is corrupt at offset {Offset} ({Reason}) and was dropped: starting from what the journal holds alone (possibly empty); instances only in the snapshot are lost", EventName = "SnapshotDropped")]
        public static partial void SnapshotDropped(ILogger logger, string file, long offset, string reason);
    }
}
