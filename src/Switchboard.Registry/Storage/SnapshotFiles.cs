using System.IO.Hashing;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Switchboard.Registry.Catalog.Compaction;

namespace Switchboard.Registry.Storage;

/// <summary>
/// Reads and writes <c>snapshot.json</c>: one checksummed record (<see cref="RecordLine"/>) holding every instance and the
/// index the snapshot covers, one instance per line of its JSON (<see cref="SnapshotLines"/>), so it is parsed in parallel.
/// A snapshot that starts with <c>{</c> was written by an older version and has no checksum. The key/value store's
/// snapshot uses the same file format with its own JSON (the generic overloads).
/// </summary>
internal static class SnapshotFiles
{
    /// <summary>The snapshot format written now (1: no checksum, older versions).</summary>
    public const int Format = 2;

    /// <summary>Reads the snapshot at <paramref name="path"/>, its instances holding shared values (<see cref="InstanceCompaction"/>).</summary>
    /// <exception cref="StoreCorruptException">The checksum fails or the content cannot be read.</exception>
    public static SnapshotFile Read(string path)
    {
        if (SnapshotLines.TryRead(path) is { } lines)
            return lines;
        // An older layout, or something is wrong: read whole, which reads the older layouts and says what is wrong.
        var (bytes, start, length) = ReadChecked(path);
        var snapshot = Deserialize(path, bytes, start, length, JournalJsonContext.Default.SnapshotFile);
        return snapshot with { Instances = [.. snapshot.Instances.Select(InstanceCompaction.Compact)] };
    }

    /// <summary>Reads the snapshot at <paramref name="path"/> as <typeparamref name="T"/> (the key/value store's snapshot uses the same file format).</summary>
    /// <exception cref="StoreCorruptException">The checksum fails or the content cannot be read.</exception>
    public static T Read<T>(string path, JsonTypeInfo<T> type)
    {
        var (bytes, start, length) = ReadChecked(path);
        return Deserialize(path, bytes, start, length, type);
    }

    /// <summary>The file's bytes and where its JSON is in them, the checksum checked.</summary>
    private static (byte[] Bytes, int Start, int Length) ReadChecked(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length > 0 && bytes[0] == (byte)'{')
            return (bytes, 0, bytes.Length);
        if (bytes.Length == 0 || bytes[^1] != (byte)'\n')
            throw new StoreCorruptException(path, bytes.Length, "the snapshot is incomplete: no final newline");
        if (RecordLine.Check(bytes.AsSpan(0, bytes.Length - 1), allowLegacy: false, out var json) is { } problem)
            throw new StoreCorruptException(path, 0, $"snapshot {problem}");
        return (bytes, RecordLine.Prefix, json.Length);
    }

    private static T Deserialize<T>(string path, byte[] bytes, int start, int length, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(bytes.AsSpan(start, length), type)
                ?? throw new StoreCorruptException(path, 0, "the snapshot is empty");
        }
        catch (JsonException ex)
        {
            throw new StoreCorruptException(path, start + (ex.BytePositionInLine ?? 0), $"the snapshot is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>How much of a snapshot may be written before it is fsynced on the way.</summary>
    /// <remarks>
    /// On ext4 (data=ordered) the journal's fsync also waits for every dirty page of other files in the same file-system
    /// commit: an unsynced 350 MB snapshot turned a 2 ms journal fsync into a write stall of seconds. Syncing the snapshot
    /// as it goes keeps what a journal fsync can wait for small.
    /// </remarks>
    private const long SyncEveryBytes = 8 * 1024 * 1024;

    /// <summary>Writes <paramref name="snapshot"/> to a temporary file, fsyncs it, then renames it over <c>snapshot.json</c>.</summary>
    public static void Write(string directory, SnapshotFile snapshot) => WriteFile(directory, stream => SnapshotLines.Write(stream, snapshot));

    /// <summary>Writes <paramref name="snapshot"/> as <typeparamref name="T"/> the same way.</summary>
    public static void Write<T>(string directory, T snapshot, JsonTypeInfo<T> type) => WriteFile(directory, stream => JsonSerializer.Serialize(stream, snapshot, type));

    /// <summary>
    /// The end of a compaction: writes <paramref name="snapshot"/> (<see cref="Write(string, SnapshotFile)"/>), then deletes every
    /// journal segment older than <paramref name="newestSegment"/> (the one writes went on into) and fsyncs the directory.
    /// </summary>
    public static void WriteAndDropOlderSegments(string directory, SnapshotFile snapshot, string newestSegment)
    {
        Write(directory, snapshot);
        DropSegmentsBefore(directory, newestSegment);
    }

    /// <summary>The end of a compaction of a snapshot written as <typeparamref name="T"/> (<see cref="Write{T}"/>).</summary>
    public static void WriteAndDropOlderSegments<T>(string directory, T snapshot, JsonTypeInfo<T> type, string newestSegment)
    {
        Write(directory, snapshot, type);
        DropSegmentsBefore(directory, newestSegment);
    }

    private static void DropSegmentsBefore(string directory, string newestSegment)
    {
        foreach (var old in DataFiles.Segments(directory).TakeWhile(s => s != newestSegment))
            File.Delete(old);
        DataFiles.SyncDirectory(directory);
    }

    private static void WriteFile(string directory, Action<Stream> writeJson)
    {
        var path = Path.Combine(directory, DataFiles.SnapshotName);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 256 * 1024))
        {
            file.Write("00000000 "u8);
            var crc = new Crc32();
            using (var hashing = new HashingWriteStream(file, crc, SyncEveryBytes))
                writeJson(hashing);
            file.WriteByte((byte)'\n');
            Span<byte> checksum = stackalloc byte[8];
            RecordLine.WriteChecksum(crc.GetCurrentHashAsUInt32(), checksum);
            file.Position = 0;
            file.Write(checksum);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        DataFiles.SyncDirectory(directory);
    }

    /// <summary>Passes writes through to a file and hashes them on the way, fsyncing the file every <paramref name="syncEvery"/> bytes.</summary>
    private sealed class HashingWriteStream(FileStream inner, NonCryptographicHashAlgorithm hash, long syncEvery) : Stream
    {
        private long _unsynced;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.Append(buffer);
            inner.Write(buffer);
            _unsynced += buffer.Length;
            if (_unsynced >= syncEvery)
            {
                inner.Flush(flushToDisk: true);
                _unsynced = 0;
            }
        }
    }
}
