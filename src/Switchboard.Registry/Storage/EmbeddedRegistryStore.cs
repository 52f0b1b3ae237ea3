using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Instances;

namespace Switchboard.Registry.Storage;

/// <summary>
/// The default durable store: a snapshot file plus journal segments of checksummed JSON lines in one data folder.
/// Writes are group-committed: everything queued while the previous batch was being flushed is written and
/// fsynced together, then acknowledged, so durability costs one fsync per batch, not per write.
/// </summary>
/// <remarks>
/// <para>Files (see docs/operations.md): <c>snapshot.json</c> (every instance at one index),
/// <c>journal-&lt;first index&gt;.log</c> segments (changes after it; <c>journal.log</c> from older versions is read as
/// the first segment), <c>LOCK</c> (held while open, so two agents cannot share a folder).</para>
/// <para>Every record carries a CRC-32. At load, a torn tail (a crash mid-write, never acknowledged) is cut off the
/// file; any other damaged record or a damaged snapshot stops the load with <see cref="StoreCorruptException"/> unless
/// <see cref="EmbeddedStoreOptions.Recover"/> is set. A batch that cannot be written is cut back off the journal and
/// every write in it fails with <see cref="RegistryStoreUnavailableException"/>. Compaction writes the snapshot on
/// another task while writes go on into a new segment.</para>
/// </remarks>
public sealed partial class EmbeddedRegistryStore : IRegistryStore, IStoredSize
{
    private const int MaxBatchWrites = 10_000;
    private const int MaxBatchBytes = 8 * 1024 * 1024;
    private static readonly TimeSpan FailedWriteRetryAfter = TimeSpan.FromSeconds(1);
    private readonly Channel<(StoreWrite Write, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(StoreWrite, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly EmbeddedStoreOptions _options;
    private readonly ILogger<EmbeddedRegistryStore> _logger;
    private Dictionary<string, ServiceInstance> _shadow = new(StringComparer.Ordinal); // durable state only
    private FileStream? _lock;
    private JournalSegment? _segment;
    private Task? _writer;
    private Task _compaction = Task.CompletedTask;
    private long _index;
    private int _journalRecords;
    private volatile string? _failure;

    /// <summary>Creates the store over <see cref="EmbeddedStoreOptions.DataDirectory"/>.</summary>
    public EmbeddedRegistryStore(IOptions<EmbeddedStoreOptions> options, ILogger<EmbeddedRegistryStore> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Kind => "embedded";

    /// <summary>The folder in use.</summary>
    public string DataDirectory => _options.DataDirectory;

    /// <inheritdoc />
    public StoreHealth Health => _failure is { } failure ? new StoreHealth(Kind, "degraded", failure) : new StoreHealth(Kind, "ok", null);

    /// <summary>Called on the compaction task before the snapshot is written (tests hold compaction there).</summary>
    internal Action? BeforeSnapshotWrite { get; set; }

    /// <summary>The compaction in flight, or a completed task.</summary>
    internal Task Compaction => _compaction;

    /// <summary>The size of the snapshot and the journal segments in the data directory.</summary>
    long IStoredSize.StoredBytes()
    {
        var directory = _options.DataDirectory;
        try
        {
            if (!Directory.Exists(directory))
                return 0;
            var snapshot = new FileInfo(Path.Combine(directory, DataFiles.SnapshotName));
            return (snapshot.Exists ? snapshot.Length : 0) + DataFiles.Segments(directory).Sum(segment => new FileInfo(segment).Length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0; // the load itself reports what is wrong with the directory
        }
    }

    /// <inheritdoc />
    /// <exception cref="EmbeddedStoreException">The data directory cannot be opened, read or written, or is held by another agent.</exception>
    /// <exception cref="StoreCorruptException">A record in the middle of the journal or the snapshot is damaged (and <see cref="EmbeddedStoreOptions.Recover"/> is off).</exception>
    public Task<StoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var directory = _options.DataDirectory;
        try
        {
            Directory.CreateDirectory(directory);
            _lock = DataDirectoryLock.Acquire(directory);
            var state = new StoreLoader(directory, _options.Recover, _logger).Load();
            _shadow = state.Instances;
            _index = state.Index;
            _journalRecords = state.JournalRecords;
            if (state.Dropped)
                RewriteAfterRecovery(state);
            _segment = JournalSegment.Open(state.Segments.Count > 0 && !state.Dropped ? state.Segments[^1] : DataFiles.Segment(directory, _index + 1));
            DataFiles.SyncDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _segment?.Dispose();
            _lock?.Dispose();
            _lock = null;
            if (ex is EmbeddedStoreException)
                throw;
            throw new EmbeddedStoreException($"cannot use the data directory {directory}: {ex.Message}", ex);
        }
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.FromResult(new StoreSnapshot(_index, [.. _shadow.Values]));
    }

    /// <summary>After a recovery: a fresh snapshot of what was valid, the damaged files kept aside as <c>*.damaged</c>.</summary>
    private void RewriteAfterRecovery(LoadedState state)
    {
        var directory = _options.DataDirectory;
        var snapshot = Path.Combine(directory, DataFiles.SnapshotName);
        if (state.SnapshotDropped)
            File.Move(snapshot, snapshot + DataFiles.DamagedSuffix, overwrite: true);
        SnapshotFiles.Write(directory, new SnapshotFile(SnapshotFiles.Format, _index, [.. _shadow.Values]));
        foreach (var segment in state.Segments)
            File.Move(segment, segment + DataFiles.DamagedSuffix, overwrite: true);
        DataFiles.SyncDirectory(directory);
        _journalRecords = 0;
        Log.Recovered(_logger, _shadow.Count, _index, directory);
    }

    /// <inheritdoc />
    public Task PersistAsync(StoreWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((write, done)))
            done.SetException(new ObjectDisposedException(nameof(EmbeddedRegistryStore), "The store is closed."));
        return done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(StoreWrite Write, TaskCompletionSource Done)>();
        var bytes = new ArrayBufferWriter<byte>(64 * 1024);
        var json = new ArrayBufferWriter<byte>(4 * 1024);
        using var jsonWriter = new Utf8JsonWriter(json);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            try
            {
                while (batch.Count < MaxBatchWrites && bytes.WrittenCount < MaxBatchBytes && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                    json.ResetWrittenCount();
                    jsonWriter.Reset(json);
                    JsonSerializer.Serialize(jsonWriter, ToRecord(item.Write), JournalJsonContext.Default.JournalRecord);
                    RecordLine.Write(json.WrittenSpan, bytes);
                }
                var started = Stopwatch.GetTimestamp();
                _segment!.Append(bytes.WrittenSpan, _options.Fsync);
                Diagnostics.RegistryTelemetry.StoreBatch(Kind, batch.Count, Stopwatch.GetElapsedTime(started));
                Acknowledge(batch);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Fail(batch, ex);
            }
            catch (Exception ex)
            {
                // Not a failure of the disk (a bug): the batch fails as it is, and the loop keeps serving later writes.
                foreach (var (_, done) in batch)
                    done.TrySetException(ex);
            }
            batch.Clear();
            bytes.ResetWrittenCount();
            if (_journalRecords >= _options.CompactAfterRecords && _compaction.IsCompleted)
                StartCompaction();
        }
    }

    /// <summary>The batch is durable: only now does the shadow state take it, and its writers hear of it.</summary>
    private void Acknowledge(List<(StoreWrite Write, TaskCompletionSource Done)> batch)
    {
        foreach (var (write, _) in batch)
            Apply(ToRecord(write));
        _journalRecords += batch.Count;
        _failure = null;
        foreach (var (_, done) in batch)
            done.TrySetResult();
    }

    private static JournalRecord ToRecord(StoreWrite write) => new(write.Index, write.Instance, write.RemovedInstanceId);

    private void Fail(List<(StoreWrite Write, TaskCompletionSource Done)> batch, Exception ex)
    {
        var cause = ex.Message;
        _failure = $"cannot write to {_options.DataDirectory}: {cause}";
        Log.WriteFailed(_logger, _options.DataDirectory, batch.Count, ex);
        var failure = new RegistryStoreUnavailableException(
            $"The embedded store could not save the change in {_options.DataDirectory}: {cause}; nothing of it was kept.", ex, FailedWriteRetryAfter);
        foreach (var (_, done) in batch)
            done.TrySetException(failure);
    }

    private void Apply(JournalRecord record)
    {
        if (record.Put is { } instance)
            _shadow[instance.InstanceId] = instance;
        else if (record.Del is { } id)
            _shadow.Remove(id);
        _index = Math.Max(_index, record.I);
    }

    /// <summary>
    /// On the writer loop: copies the durable state (references only), switches to a new segment, and leaves the snapshot
    /// and the deletion of the older segments to another task. Until that snapshot is durable the older segments stay,
    /// so a crash at any point loads the old snapshot and every segment, or the new snapshot and the new segment.
    /// </summary>
    private void StartCompaction()
    {
        var directory = _options.DataDirectory;
        JournalSegment next;
        try
        {
            next = JournalSegment.Open(DataFiles.Segment(directory, _index + 1));
            DataFiles.SyncDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CompactionFailed(_logger, directory, ex);
            return;
        }
        var image = new SnapshotFile(SnapshotFiles.Format, _index, [.. _shadow.Values]);
        var current = next.Path;
        _segment!.Dispose();
        _segment = next;
        _journalRecords = 0;
        var hook = BeforeSnapshotWrite;
        _compaction = Task.Run(() =>
        {
            try
            {
                hook?.Invoke();
                SnapshotFiles.WriteAndDropOlderSegments(directory, image, current);
                Log.Compacted(_logger, image.Instances.Count, image.Index);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.CompactionFailed(_logger, directory, ex); // the older segments stay; the next compaction tries again
            }
        }, CancellationToken.None);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is not null)
            await _writer.ConfigureAwait(false);
        await _compaction.ConfigureAwait(false);
        _segment?.Dispose();
        if (_lock is not null)
            await _lock.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(41, LogLevel.Error, "Could not write to the store in {Directory}: {Count} changes refused and cut back off the journal", EventName = "StoreWriteFailed")]
        public static partial void WriteFailed(ILogger logger, string directory, int count, Exception exception);

        [LoggerMessage(42, LogLevel.Information, "Compacted the journal into a snapshot of {Count} instances at index {Index}", EventName = "StoreCompacted")]
        public static partial void Compacted(ILogger logger, int count, long index);

        [LoggerMessage(47, LogLevel.Warning, "Could not compact the journal in {Directory}; the journal segments are kept", EventName = "StoreCompactionFailed")]
        public static partial void CompactionFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(48, LogLevel.Critical, "RECOVER: rewrote {Directory} as a snapshot of the {Count} instances that were valid at index {Index}; the damaged files are kept as *.damaged", EventName = "StoreRecovered")]
        public static partial void Recovered(ILogger logger, int count, long index, string directory);
    }
}
