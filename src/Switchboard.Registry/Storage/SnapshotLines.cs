using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchboard.Instances;
using Switchboard.Registry.Catalog.Compaction;

namespace Switchboard.Registry.Storage;

/// <summary>
/// The layout of a snapshot's JSON that lets it be parsed in parallel: the header, then one instance per line
/// (<c>{"format":2,"index":N,"instances":[\n{...},\n{...}\n]}</c>). Still one JSON document (a newline is whitespace, and
/// never occurs unescaped inside a JSON string), so any JSON reader, an older version's included, reads it whole.
/// </summary>
internal static class SnapshotLines
{
    /// <summary>Writes <paramref name="snapshot"/> in this layout.</summary>
    public static void Write(Stream output, SnapshotFile snapshot)
    {
        output.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"format\":{snapshot.Format},\"index\":{snapshot.Index},\"instances\":[")));
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer);
        for (var i = 0; i < snapshot.Instances.Count; i++)
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, snapshot.Instances[i], JournalJsonContext.Default.ServiceInstance);
            output.Write(i == 0 ? "\n"u8 : ",\n"u8);
            output.Write(buffer.WrittenSpan);
        }
        output.Write("\n]}"u8);
    }

    /// <summary>How much of the file one part holds: the unit read, checksummed and parsed on one thread.</summary>
    public const int DefaultChunkBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Reads the snapshot file at <paramref name="path"/> (a checksummed record in this layout) as a stream of parts, each
    /// parsed on a thread of its own while the next is read, so the file is never held whole in memory and reading overlaps
    /// parsing. Null when the file is not in this layout, a line does not parse, the checksum does not match or the final
    /// newline is missing: the caller then reads the file whole, which says what is wrong (or reads an older layout).
    /// </summary>
    /// <param name="path">The snapshot file.</param>
    /// <param name="chunkBytes">The size of a part (tests make it small to cut lines across parts).</param>
    public static SnapshotFile? TryRead(string path, int chunkBytes = DefaultChunkBytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var reader = new SnapshotChunkReader(file, chunkBytes);
        if (!reader.TryStart(out var format, out var index))
            return null;
        var parts = new List<ServiceInstance[]?>();
        try
        {
            var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
            Parallel.ForEach(Partitioner.Create(reader.Chunks(), EnumerablePartitionerOptions.NoBuffering), options, (chunk, loop) =>
            {
                var instances = ReadChunk(chunk);
                lock (parts)
                {
                    while (parts.Count <= chunk.Sequence)
                        parts.Add(null);
                    parts[chunk.Sequence] = instances;
                }
                if (instances is null)
                    loop.Stop();
            });
        }
        catch (AggregateException ex)
        {
            ExceptionDispatchInfo.Throw(ex.Flatten().InnerExceptions[0]); // an I/O error reading the file, as a plain read reports it
        }
        if (!reader.Completed || parts.Any(p => p is null))
            return null;
        var all = new ServiceInstance[parts.Sum(p => p!.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part!.CopyTo(all, at);
            at += part.Length;
        }
        return new SnapshotFile(format, index, all);
    }

    /// <summary>The instances of one part's lines (each without its trailing comma); null when one cannot be read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static ServiceInstance[]? ReadChunk(SnapshotChunk chunk)
    {
        try
        {
            var instances = new ServiceInstance[chunk.Lines.Count];
            var span = chunk.Buffer.AsSpan();
            for (var i = 0; i < instances.Length; i++)
            {
                var (start, length) = chunk.Lines[i];
                if (ReadLine(span.Slice(start, length)) is not { } instance)
                    return null;
                instances[i] = instance;
            }
            return instances;
        }
        finally
        {
            chunk.Release();
        }
    }

    /// <summary>One instance's line: the direct reader, else the serializer; null when neither can read it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static ServiceInstance? ReadLine(ReadOnlySpan<byte> line)
    {
        if (InstanceJsonReader.TryRead(line, out var instance))
            return instance;
        try
        {
            return JsonSerializer.Deserialize(line, JournalJsonContext.Default.ServiceInstance) is { } read ? InstanceCompaction.Compact(read) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads <c>{"format":F,"index":I,"instances":[</c> followed by a newline.</summary>
    internal static bool TryReadHeader(ReadOnlySpan<byte> json, out int format, out long index, out int consumed)
    {
        (format, index, consumed) = (0, 0, 0);
        var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
                || !reader.Read() || !reader.ValueTextEquals("format"u8) || !reader.Read() || !reader.TryGetInt32(out format)
                || !reader.Read() || !reader.ValueTextEquals("index"u8) || !reader.Read() || !reader.TryGetInt64(out index)
                || !reader.Read() || !reader.ValueTextEquals("instances"u8) || !reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                return false;
        }
        catch (JsonException)
        {
            return false;
        }
        consumed = (int)reader.BytesConsumed;
        return consumed < json.Length && json[consumed] == (byte)'\n';
    }
}
