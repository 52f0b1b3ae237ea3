using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Switchboard.Registry.Storage;

/// <summary>
/// Replays one journal segment of checksummed records (<see cref="RecordLine"/>), for the catalog's and the key/value
/// store's journals alike. A torn tail of the last segment (a crash mid-write, never acknowledged) is cut off the file
/// with a warning; any other damaged record stops the load with <see cref="StoreCorruptException"/>, or with
/// <c>recover</c> is dropped and logged.
/// </summary>
internal static partial class JournalReplay
{
    /// <summary>A direct reader of a record's JSON: true with the record when it has the shape the store writes, else false (the serializer then reads it).</summary>
    public delegate bool DirectReader<T>(ReadOnlySpan<byte> json, out T? record);

    /// <summary>Reads <paramref name="path"/> and hands each valid record to <paramref name="apply"/>; returns how many damaged records were dropped (only with <c>recover</c>).</summary>
    /// <param name="path">The segment.</param>
    /// <param name="type">The record's JSON type.</param>
    /// <param name="check">Null when a parsed record is whole; else why not (it is then treated as damaged).</param>
    /// <param name="apply">Takes each valid record, in file order.</param>
    /// <param name="last">Whether this is the newest segment (the only one that may end in a torn tail).</param>
    /// <param name="recover">Whether damaged records are dropped rather than fatal.</param>
    /// <param name="logger">Where the cut tail and dropped records are logged.</param>
    /// <param name="direct">A faster reader tried before the serializer (the catalog's <c>InstanceJsonReader</c>).</param>
    public static int Replay<T>(string path, JsonTypeInfo<T> type, Func<T, string?> check, Action<T> apply, bool last, bool recover, ILogger logger, DirectReader<T>? direct = null)
        where T : class
    {
        var legacy = DataFiles.IsLegacyJournal(path);
        var dropped = 0;
        using (var reader = new LineReader(path))
        {
            while (reader.TryRead(out var offset, out var line, out var terminated))
            {
                if (line.IsEmpty)
                    continue;
                T? record = null;
                var problem = terminated ? Parse(line, legacy, type, check, direct, out record) : "no final newline";
                if (problem is null)
                {
                    apply(record!);
                    continue;
                }
                if (last && reader.AtEnd())
                {
                    reader.Dispose();
                    CutBack(path, offset, problem, logger);
                    break;
                }
                if (!recover)
                    throw new StoreCorruptException(path, offset, problem);
                Log.RecordDropped(logger, path, offset, line.Length + (terminated ? 1 : 0), problem);
                dropped++;
            }
        }
        if (dropped > 0)
            Log.DroppedFromSegment(logger, path, dropped);
        return dropped;
    }

    private static string? Parse<T>(ReadOnlySpan<byte> line, bool legacy, JsonTypeInfo<T> type, Func<T, string?> check, DirectReader<T>? direct, out T? record)
        where T : class
    {
        record = null;
        if (RecordLine.Check(line, legacy, out var json) is { } problem)
            return problem;
        if (direct is not null && direct(json, out record) && record is not null)
            return check(record);
        try
        {
            record = JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException ex)
        {
            return $"not a valid record: {ex.Message}";
        }
        return record is null ? "an empty record" : check(record);
    }

    /// <summary>Cuts the torn tail off (as etcd's WAL repair does), so the next record is appended after the last whole one.</summary>
    private static void CutBack(string path, long offset, string problem, ILogger logger)
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
    }
}
