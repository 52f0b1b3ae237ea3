using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.KeyValues;

/// <summary>
/// The durable key/value store of an agent with a data directory: a snapshot and journal segments of checksummed JSON
/// lines in <c>&lt;data directory&gt;/kv/</c>, in the catalog store's format and with its helpers. Each change is appended
/// and fsynced before it is acknowledged or shown; one that cannot be written is cut back off the journal, changes
/// nothing and fails with <see cref="RegistryStoreUnavailableException"/>.
/// </summary>
/// <remarks>
/// At load, a torn last record (a crash mid-write, never acknowledged) is cut off with a warning; any other damaged
/// record stops the start with <see cref="StoreCorruptException"/> unless <see cref="EmbeddedStoreOptions.Recover"/> is
/// set. After <see cref="EmbeddedStoreOptions.CompactAfterRecords"/> records the entries are written as a fresh snapshot
/// on another task while writes go on into a new segment; the older segments are deleted once it is durable.
/// Writes are made durable one at a time (one fsync each): the key/value store holds configuration, written rarely.
/// </remarks>
public sealed partial class EmbeddedKeyValueStore : IKeyValueStore, ILimitedKeyValueStore
{
    /// <summary>The folder inside the data directory.</summary>
    public const string FolderName = "kv";

    private const int Format = 1;
    private static readonly TimeSpan FailedWriteRetryAfter = TimeSpan.FromSeconds(1);
    private readonly EmbeddedStoreOptions _options;
    private readonly ILogger<EmbeddedKeyValueStore> _logger;
    private readonly LocalKeyValueWriter _writer;
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private FileStream? _lock;
    private JournalSegment? _segment;
    private Task _compaction = Task.CompletedTask;
    private int _journalRecords;

    /// <summary>Creates the store in <c>kv/</c> under <see cref="EmbeddedStoreOptions.DataDirectory"/>; nothing is read before <see cref="LoadAsync"/>.</summary>
    public EmbeddedKeyValueStore(IOptions<EmbeddedStoreOptions> options, ILogger<EmbeddedKeyValueStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _writer = new LocalKeyValueWriter(Mirror, PersistAsync);
    }

    /// <inheritdoc />
    public string Kind => "embedded";

    /// <inheritdoc />
    public KeyValueMirror Mirror { get; } = new();

    /// <summary>The folder holding the store's files.</summary>
    public string Directory => Path.Combine(_options.DataDirectory, FolderName);

    /// <summary>The compaction in flight, or a completed task (tests).</summary>
    internal Task Compaction => _compaction;

    /// <inheritdoc />
    /// <exception cref="EmbeddedStoreException">The folder cannot be opened, read or written, or is held by another agent.</exception>
    /// <exception cref="StoreCorruptException">A record in the middle of the journal or the snapshot is damaged (and <see cref="EmbeddedStoreOptions.Recover"/> is off).</exception>
    public Task LoadAsync(CancellationToken cancellationToken)
    {
        var directory = Directory;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            _lock = DataDirectoryLock.Acquire(directory);
            var (entries, index, segments, dropped) = Load(directory);
            if (dropped)
            {
                SnapshotFiles.Write(directory, new KeyValueSnapshot(Format, index, [.. entries.Values]), KeyValueJsonContext.Default.KeyValueSnapshot);
                foreach (var segment in segments)
                    File.Move(segment, segment + DataFiles.DamagedSuffix, overwrite: true);
                Log.Recovered(_logger, entries.Count, index, directory);
                segments.Clear();
                _journalRecords = 0;
            }
            _segment = JournalSegment.Open(segments.Count > 0 ? segments[^1] : DataFiles.Segment(directory, index + 1));
            DataFiles.SyncDirectory(directory);
            Mirror.Reset(entries.Values, index);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _segment?.Dispose();
            _segment = null;
            _lock?.Dispose();
            _lock = null;
            if (ex is EmbeddedStoreException)
                throw;
            throw new EmbeddedStoreException($"cannot use the key/value folder {directory}: {ex.Message}", ex);
        }
        return Task.CompletedTask;
    }

    private (SortedDictionary<string, KeyValueEntry> Entries, long Index, List<string> Segments, bool Dropped) Load(string directory)
    {
        var entries = new SortedDictionary<string, KeyValueEntry>(StringComparer.Ordinal);
        var index = 0L;
        var dropped = false;
        var snapshotPath = Path.Combine(directory, DataFiles.SnapshotName);
        if (File.Exists(snapshotPath))
        {
            try
            {
                var snapshot = SnapshotFiles.Read(snapshotPath, KeyValueJsonContext.Default.KeyValueSnapshot);
                index = snapshot.Index;
                foreach (var entry in snapshot.Entries)
                    entries[entry.Key] = entry;
            }
            catch (StoreCorruptException ex) when (_options.Recover)
            {
                Log.SnapshotDropped(_logger, snapshotPath, ex.Offset, ex.Reason);
                File.Move(snapshotPath, snapshotPath + DataFiles.DamagedSuffix, overwrite: true);
                dropped = true;
            }
        }
        var snapshotIndex = index;
        var segments = DataFiles.Segments(directory);
        for (var i = 0; i < segments.Count; i++)
        {
            var droppedHere = JournalReplay.Replay(segments[i], KeyValueJsonContext.Default.KeyValueRecord,
                static r => r.IsWhole() ? null : "not exactly one change with an index",
                record =>
                {
                    if (record.I <= snapshotIndex)
                        return;
                    Apply(entries, record);
                    index = Math.Max(index, record.I);
                    _journalRecords++;
                }, last: i == segments.Count - 1, _options.Recover, _logger);
            dropped |= droppedHere > 0;
        }
        return (entries, index, segments, dropped);
    }

    private static void Apply(SortedDictionary<string, KeyValueEntry> entries, KeyValueRecord record)
    {
        if (record.Put is { } put)
        {
            entries[put.Key] = put;
        }
        else if (record.Del is { } key)
        {
            entries.Remove(key);
        }
        else if (record.Tree is { } prefix)
        {
            foreach (var under in entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                entries.Remove(under);
        }
    }

    /// <inheritdoc />
    public Task<KvWriteResult> PutAsync(string key, byte[] value, long flags, long? cas, CancellationToken cancellationToken)
        => _writer.PutAsync(key, value, flags, cas, null, cancellationToken);

    /// <inheritdoc />
    Task<KvWriteResult> ILimitedKeyValueStore.PutAsync(string key, byte[] value, long flags, long? cas, KeyValueOptions limits, CancellationToken cancellationToken)
        => _writer.PutAsync(key, value, flags, cas, limits, cancellationToken);

    /// <inheritdoc />
    public Task<KvWriteResult> DeleteAsync(string key, bool recurse, long? cas, CancellationToken cancellationToken)
        => _writer.DeleteAsync(key, recurse, cas, cancellationToken);

    /// <summary>Under the writer's gate: appends and fsyncs one record, or throws with nothing kept.</summary>
    private ValueTask PersistAsync(KeyValueRecord record)
    {
        var segment = _segment ?? throw new InvalidOperationException("The key/value store is not loaded (or closed).");
        if (_journalRecords >= _options.CompactAfterRecords && _compaction.IsCompleted)
            segment = StartCompaction(segment);
        _line.ResetWrittenCount();
        RecordLine.Write(JsonSerializer.SerializeToUtf8Bytes(record, KeyValueJsonContext.Default.KeyValueRecord), _line);
        try
        {
            segment.Append(_line.WrittenSpan, _options.Fsync);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.WriteFailed(_logger, Directory, ex);
            throw new RegistryStoreUnavailableException(
                $"The embedded key/value store could not save the change in {Directory}: {ex.Message}; nothing of it was kept.", ex, FailedWriteRetryAfter);
        }
        _journalRecords++;
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Switches to a new segment and writes the snapshot of every entry (the mirror holds exactly what is durable: the
    /// writer's gate is held) on another task; the older segments are deleted once it is durable, so a crash at any point
    /// loads the old snapshot and every segment, or the new snapshot and the new segment.
    /// </summary>
    private JournalSegment StartCompaction(JournalSegment current)
    {
        var directory = Directory;
        JournalSegment next;
        try
        {
            next = JournalSegment.Open(DataFiles.Segment(directory, Mirror.Index + 1));
            DataFiles.SyncDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CompactionFailed(_logger, directory, ex);
            return current;
        }
        var image = new KeyValueSnapshot(Format, Mirror.Index, Mirror.List(""));
        current.Dispose();
        _segment = next;
        _journalRecords = 0;
        var newest = next.Path;
        _compaction = Task.Run(() =>
        {
            try
            {
                SnapshotFiles.WriteAndDropOlderSegments(directory, image, KeyValueJsonContext.Default.KeyValueSnapshot, newest);
                Log.Compacted(_logger, image.Entries.Count, image.Index);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.CompactionFailed(_logger, directory, ex); // the older segments stay; the next compaction tries again
            }
        }, CancellationToken.None);
        return next;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.CloseAsync().ConfigureAwait(false); // the write in progress ends first; later ones are refused
        await _compaction.ConfigureAwait(false);
        _segment?.Dispose();
        _segment = null;
        if (_lock is not null)
            await _lock.DisposeAsync().ConfigureAwait(false);
        _lock = null;
    }

    private static partial class Log
    {
        [LoggerMessage(70, LogLevel.Error, "Could not write to the key/value store in {Directory}: the change was refused and cut back off the journal", EventName = "KeyValueWriteFailed")]
        public static partial void WriteFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(71, LogLevel.Information, "Compacted the key/value journal into a snapshot of {Count} keys at index {Index}", EventName = "KeyValueCompacted")]
        public static partial void Compacted(ILogger logger, int count, long index);

        [LoggerMessage(72, LogLevel.Warning, "Could not compact the key/value journal in {Directory}; the journal segments are kept", EventName = "KeyValueCompactionFailed")]
        public static partial void CompactionFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(73, LogLevel.Critical, "RECOVER: rewrote {Directory} as a snapshot of the {Count} keys that were valid at index {Index}; the damaged files are kept as *.damaged", EventName = "KeyValueRecovered")]
        public static partial void Recovered(ILogger logger, int count, long index, string directory);

        [LoggerMessage(74, LogLevel.Critical, "RECOVER: the key/value snapshot {File} is corrupt at offset {Offset} ({Reason}) and was dropped: starting from what the journal holds alone", EventName = "KeyValueSnapshotDropped")]
        public static partial void SnapshotDropped(ILogger logger, string file, long offset, string reason);
    }
}
