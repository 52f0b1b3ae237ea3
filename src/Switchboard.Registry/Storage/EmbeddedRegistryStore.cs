using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Api;
using Switchboard.Instances;

namespace Switchboard.Registry.Storage;

/// <summary>
/// The default durable store: a snapshot file plus an append-only journal of JSON lines in one data folder.
/// Writes are group-committed: everything queued while the previous batch was being flushed is written and
/// fsynced together, then acknowledged, so durability costs one fsync per batch, not per write.
/// </summary>
/// <remarks>
/// <para>Files: <c>snapshot.json</c> (every instance at one index), <c>journal.log</c> (changes after it),
/// <c>LOCK</c> (held while open, so two agents cannot share a folder).</para>
/// <para>A torn or unparseable journal line (a crash mid-write) is skipped with a warning at load; a
/// write is acknowledged only after it is completely on disk, so no acknowledged change is ever lost.</para>
/// </remarks>
public sealed partial class EmbeddedRegistryStore : IRegistryStore
{
    private const string SnapshotName = "snapshot.json";
    private const string JournalName = "journal.log";
    private readonly Channel<(StoreWrite Write, TaskCompletionSource Done)> _queue =
        Channel.CreateUnbounded<(StoreWrite, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, ServiceInstance> _shadow = new(StringComparer.Ordinal);
    private readonly EmbeddedStoreOptions _options;
    private readonly ILogger<EmbeddedRegistryStore> _logger;
    private FileStream? _lock;
    private FileStream? _journal;
    private Task? _writer;
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

    /// <inheritdoc />
    public async Task<StoreSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_options.DataDirectory);
        try
        {
            _lock = new FileStream(Path.Combine(_options.DataDirectory, "LOCK"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"The data directory {_options.DataDirectory} is in use by another Switchboard agent ({ex.Message}).", ex);
        }

        var snapshotPath = Path.Combine(_options.DataDirectory, SnapshotName);
        if (File.Exists(snapshotPath))
        {
            await using var stream = File.OpenRead(snapshotPath);
            var snapshot = await JsonSerializer.DeserializeAsync(stream, JournalJsonContext.Default.SnapshotFile, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"{snapshotPath} is empty.");
            _index = snapshot.Index;
            foreach (var instance in snapshot.Instances)
                _shadow[instance.InstanceId] = instance;
        }

        var journalPath = Path.Combine(_options.DataDirectory, JournalName);
        if (File.Exists(journalPath))
            await ReplayAsync(journalPath, cancellationToken).ConfigureAwait(false);

        _journal = new FileStream(journalPath, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return new StoreSnapshot(_index, [.. _shadow.Values]);
    }

    private async Task ReplayAsync(string journalPath, CancellationToken cancellationToken)
    {
        var lineNumber = 0;
        var snapshotIndex = _index;
        using var reader = new StreamReader(journalPath, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            JournalRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(line, JournalJsonContext.Default.JournalRecord);
            }
            catch (JsonException ex)
            {
                Log.SkippedLine(_logger, journalPath, lineNumber, ex.Message);
                continue;
            }
            if (record is null || record.Put is null && record.Del is null)
            {
                Log.SkippedLine(_logger, journalPath, lineNumber, "not a put or a removal");
                continue;
            }
            if (record.I <= snapshotIndex)
                continue; // already folded into the snapshot (a crash between snapshot and journal truncation)
            Apply(record);
            _journalRecords++;
        }
    }

    private void Apply(JournalRecord record)
    {
        if (record.Put is { } instance)
            _shadow[instance.InstanceId] = instance;
        else if (record.Del is { } id)
            _shadow.Remove(id);
        _index = Math.Max(_index, record.I);
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
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 10_000 && _queue.Reader.TryRead(out var item))
                batch.Add(item);
            try
            {
                WriteBatch(batch);
                _failure = null;
                foreach (var (_, done) in batch)
                    done.TrySetResult();
                if (_journalRecords >= _options.CompactAfterRecords)
                    Compact();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _failure = ex.Message;
                Log.WriteFailed(_logger, _options.DataDirectory, ex);
                foreach (var (_, done) in batch)
                    done.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private void WriteBatch(List<(StoreWrite Write, TaskCompletionSource Done)> batch)
    {
        var journal = _journal!;
        foreach (var (write, _) in batch)
        {
            var record = new JournalRecord(write.Index, write.Instance, write.RemovedInstanceId);
            JsonSerializer.Serialize(journal, record, JournalJsonContext.Default.JournalRecord);
            journal.WriteByte((byte)'\n');
            Apply(record);
            _journalRecords++;
        }
        journal.Flush(flushToDisk: _options.Fsync);
    }

    private void Compact()
    {
        var snapshotPath = Path.Combine(_options.DataDirectory, SnapshotName);
        var temp = snapshotPath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 256 * 1024))
        {
            JsonSerializer.Serialize(stream, new SnapshotFile(1, _index, [.. _shadow.Values]), JournalJsonContext.Default.SnapshotFile);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, snapshotPath, overwrite: true);
        _journal!.Dispose();
        _journal = new FileStream(Path.Combine(_options.DataDirectory, JournalName), FileMode.Create, FileAccess.Write, FileShare.Read, 64 * 1024);
        _journalRecords = 0;
        Log.Compacted(_logger, _shadow.Count, _index);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is not null)
            await _writer.ConfigureAwait(false);
        if (_journal is not null)
            await _journal.DisposeAsync().ConfigureAwait(false);
        if (_lock is not null)
            await _lock.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(40, LogLevel.Warning, "Skipped line {Line} of {Journal}: {Reason}", EventName = "JournalLineSkipped")]
        public static partial void SkippedLine(ILogger logger, string journal, int line, string reason);

        [LoggerMessage(41, LogLevel.Error, "Could not write to the store in {Directory}", EventName = "StoreWriteFailed")]
        public static partial void WriteFailed(ILogger logger, string directory, Exception exception);

        [LoggerMessage(42, LogLevel.Information, "Compacted the journal into a snapshot of {Count} instances at index {Index}", EventName = "StoreCompacted")]
        public static partial void Compacted(ILogger logger, int count, long index);
    }
}
