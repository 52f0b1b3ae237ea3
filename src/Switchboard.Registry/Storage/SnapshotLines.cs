using System.Runtime.CompilerServices;
using System.Buffers;
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
    private const int LinesPerPart = 4096;

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

    /// <summary>
    /// Reads a snapshot's JSON (checksum already verified) written in this layout, its lines parsed in parallel; null when
    /// the JSON is not in this layout (an older snapshot) or a line does not parse, so the caller reads it as one document
    /// and reports what is wrong.
    /// </summary>
    public static SnapshotFile? TryRead(ReadOnlyMemory<byte> json)
    {
        if (!TryReadHeader(json.Span, out var format, out var index, out var consumed))
            return null;
        var lines = Split(json.Span, consumed);
        if (lines is null)
            return null;
        var instances = new ServiceInstance[lines.Count];
        var failed = 0;
        var parts = (lines.Count + LinesPerPart - 1) / LinesPerPart;
        Parallel.For(0, parts, (part, loop) =>
        {
            if (!ReadPart(json.Span, lines, part, instances))
            {
                Interlocked.Exchange(ref failed, 1);
                loop.Stop();
            }
        });
        return failed == 0 ? new SnapshotFile(format, index, instances) : null;
    }

    /// <summary>Reads the lines of one part into <paramref name="instances"/>; false at the first that cannot be read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static bool ReadPart(ReadOnlySpan<byte> json, List<(int Start, int Length)> lines, int part, ServiceInstance[] instances)
    {
        var end = Math.Min(lines.Count, (part + 1) * LinesPerPart);
        for (var i = part * LinesPerPart; i < end; i++)
        {
            var (start, length) = lines[i];
            if (ReadLine(json.Slice(start, length)) is not { } instance)
                return false;
            instances[i] = instance;
        }
        return true;
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
    private static bool TryReadHeader(ReadOnlySpan<byte> json, out int format, out long index, out int consumed)
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

    /// <summary>The (start, length) of each instance's line after the header; null unless every line but the last is an instance followed by a comma (but the last instance) and the last is <c>]}</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    private static List<(int Start, int Length)>? Split(ReadOnlySpan<byte> json, int headerEnd)
    {
        var lines = new List<(int, int)>();
        var start = headerEnd + 1;
        while (true)
        {
            var newline = json[start..].IndexOf((byte)'\n');
            if (newline < 0)
                return json[start..].SequenceEqual("]}"u8) && (lines.Count == 0 || !EndsWithComma(json, lines[^1])) ? lines : null;
            var length = newline;
            if (lines.Count > 0)
            {
                if (!EndsWithComma(json, lines[^1]))
                    return null;
                lines[^1] = (lines[^1].Item1, lines[^1].Item2 - 1); // the comma is not part of the instance
            }
            lines.Add((start, length));
            start += newline + 1;
        }
    }

    private static bool EndsWithComma(ReadOnlySpan<byte> json, (int Start, int Length) line) => line.Length > 0 && json[line.Start + line.Length - 1] == (byte)',';
}
