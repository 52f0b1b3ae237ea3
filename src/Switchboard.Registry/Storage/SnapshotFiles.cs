using System.IO.Hashing;
using System.Text.Json;
using Switchboard.Registry.Catalog.Compaction;

namespace Switchboard.Registry.Storage;

/// <summary>
/// Reads and writes <c>snapshot.json</c>: one checksummed record (<see cref="RecordLine"/>) holding every instance and the
/// index the snapshot covers, one instance per line of its JSON (<see cref="SnapshotLines"/>), so it is parsed in parallel.
/// A snapshot that starts with <c>{</c> was written by an older version and has no checksum.
/// </summary>
internal static class SnapshotFiles
{
    /// <summary>The snapshot format written now (1: no checksum, older versions).</summary>
    public const int Format = 2;

    /// <summary>Reads the snapshot at <paramref name="path"/>, its instances holding shared values (<see cref="InstanceCompaction"/>).</summary>
    /// <exception cref="StoreCorruptException">The checksum fails or the content cannot be read.</exception>
    public static SnapshotFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        ReadOnlySpan<byte> json;
        if (bytes.Length > 0 && bytes[0] == (byte)'{')
        {
            json = bytes;
        }
        else
        {
            if (bytes.Length == 0 || bytes[^1] != (byte)'\n')
                throw new StoreCorruptException(path, bytes.Length, "the snapshot is incomplete: no final newline");
            if (RecordLine.Check(bytes.AsSpan(0, bytes.Length - 1), allowLegacy: false, out json) is { } problem)
                throw new StoreCorruptException(path, 0, $"snapshot {problem}");
        }
        var start = json.Length == bytes.Length ? 0 : RecordLine.Prefix;
        if (SnapshotLines.TryRead(bytes.AsMemory(start, json.Length)) is { } lines)
            return lines;
        try
        {
            var snapshot = JsonSerializer.Deserialize(json, JournalJsonContext.Default.SnapshotFile)
                ?? throw new StoreCorruptException(path, 0, "the snapshot is empty");
            return snapshot with { Instances = [.. snapshot.Instances.Select(InstanceCompaction.Compact)] };
        }
        catch (JsonException ex)
        {
            var offset = bytes.Length - json.Length + (ex.BytePositionInLine ?? 0);
            throw new StoreCorruptException(path, offset, $"the snapshot is not valid JSON: {ex.Message}");
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
    public static void Write(string directory, SnapshotFile snapshot)
    {
        var path = Path.Combine(directory, DataFiles.SnapshotName);
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 256 * 1024))
        {
            file.Write("00000000 "u8);
            var crc = new Crc32();
            using (var hashing = new HashingWriteStream(file, crc, SyncEveryBytes))
                SnapshotLines.Write(hashing, snapshot);
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
