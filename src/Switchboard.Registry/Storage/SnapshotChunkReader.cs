using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Hashing;

namespace Switchboard.Registry.Storage;

/// <summary>
/// Reads a checksummed snapshot file (<see cref="RecordLine"/> around the <see cref="SnapshotLines"/> layout) as parts cut
/// at line ends, hashing the bytes on the way. The parts are handed out one at a time (<see cref="Chunks"/>), so a few
/// buffers are reused however large the file is. Only <see cref="Completed"/> says the whole file was there, ended as
/// the layout ends, and matched its checksum.
/// </summary>
internal sealed class SnapshotChunkReader(FileStream file, int chunkBytes)
{
    private readonly Crc32 _crc = new();
    private readonly ConcurrentBag<byte[]> _free = [];
    private uint _stored;
    private long _jsonLeft;
    private byte[] _buffer = [];
    private int _filled;
    private bool _previousLacksComma;
    private bool _innerLineWithoutComma;
    private int _lineCount;

    /// <summary>Whether every byte was read, the last line closes the document, the commas are where the layout puts them, the final newline is there and the checksum matches.</summary>
    public bool Completed { get; private set; }

    /// <summary>Reads the checksum and the header line; false when the file does not start as this layout does.</summary>
    public bool TryStart(out int format, out long index)
    {
        (format, index) = (0, 0);
        Span<byte> prefix = stackalloc byte[RecordLine.Prefix];
        if (file.Length < RecordLine.Prefix + 1 || file.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length
            || prefix[^1] != (byte)' ' || !uint.TryParse(prefix[..^1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _stored))
            return false;
        _jsonLeft = file.Length - RecordLine.Prefix - 1; // the final newline is not part of the JSON
        _buffer = Rent(chunkBytes);
        if (!Fill() || !SnapshotLines.TryReadHeader(_buffer.AsSpan(0, _filled), out format, out index, out var consumed))
            return false;
        var afterHeader = consumed + 1;
        _buffer.AsSpan(afterHeader, _filled - afterHeader).CopyTo(_buffer);
        _filled -= afterHeader;
        return true;
    }

    /// <summary>The parts in file order, each holding whole instance lines; stops early when the file ends before its length.</summary>
    public IEnumerable<SnapshotChunk> Chunks()
    {
        for (var sequence = 0; ; sequence++)
        {
            if (!Fill())
                yield break;
            var data = _buffer.AsSpan(0, _filled);
            var cut = data.LastIndexOf((byte)'\n') + 1; // the lines before it are whole
            if (cut == 0 && _jsonLeft > 0)
            {
                Grow(); // one line longer than the buffer
                sequence--;
                continue;
            }
            var lines = Lines(data[..cut]);
            var rest = data[cut..];
            if (_jsonLeft == 0)
            {
                Completed = rest.SequenceEqual("]}"u8) && !_innerLineWithoutComma && (_lineCount == 0 || _previousLacksComma)
                    && FinalNewline() && _crc.GetCurrentHashAsUInt32() == _stored;
                yield return new SnapshotChunk(sequence, _buffer, lines, _free);
                yield break;
            }
            var next = Rent(Math.Max(chunkBytes, rest.Length * 2));
            rest.CopyTo(next);
            var full = _buffer;
            (_buffer, _filled) = (next, rest.Length);
            yield return new SnapshotChunk(sequence, full, lines, _free);
        }
    }

    /// <summary>Reads until the buffer is full or the JSON is all read; false when the file ends early.</summary>
    private bool Fill()
    {
        while (_filled < _buffer.Length && _jsonLeft > 0)
        {
            var read = file.Read(_buffer.AsSpan(_filled, (int)Math.Min(_buffer.Length - _filled, _jsonLeft)));
            if (read == 0)
                return false;
            _crc.Append(_buffer.AsSpan(_filled, read));
            _filled += read;
            _jsonLeft -= read;
        }
        return true;
    }

    private void Grow()
    {
        var bigger = new byte[_buffer.Length * 2];
        _buffer.AsSpan(0, _filled).CopyTo(bigger);
        _buffer = bigger;
    }

    /// <summary>The (start, length) of each line, its trailing comma left out; notes where commas are missing.</summary>
    private List<(int Start, int Length)> Lines(ReadOnlySpan<byte> data)
    {
        var lines = new List<(int, int)>(data.Length / 256);
        var start = 0;
        while (start < data.Length)
        {
            var length = data[start..].IndexOf((byte)'\n');
            var comma = length > 0 && data[start + length - 1] == (byte)',';
            _innerLineWithoutComma |= _previousLacksComma;
            _previousLacksComma = !comma;
            _lineCount++;
            lines.Add((start, comma ? length - 1 : length));
            start += length + 1;
        }
        return lines;
    }

    private bool FinalNewline()
    {
        Span<byte> last = stackalloc byte[2];
        return file.ReadAtLeast(last, 2, throwOnEndOfStream: false) == 1 && last[0] == (byte)'\n';
    }

    private byte[] Rent(int size)
    {
        while (_free.TryTake(out var buffer))
        {
            if (buffer.Length >= size)
                return buffer;
        }
        return GC.AllocateUninitializedArray<byte>(size);
    }
}

/// <summary>One part of a snapshot: whole instance lines in a buffer that goes back to the reader once they are parsed.</summary>
internal sealed class SnapshotChunk(int sequence, byte[] buffer, List<(int Start, int Length)> lines, ConcurrentBag<byte[]> free)
{
    /// <summary>The part's place in the file, from 0.</summary>
    public int Sequence => sequence;

    /// <summary>The bytes the lines are in.</summary>
    public byte[] Buffer => buffer;

    /// <summary>Each instance line (without its comma or newline).</summary>
    public List<(int Start, int Length)> Lines => lines;

    /// <summary>Hands the buffer back for the next part.</summary>
    public void Release() => free.Add(buffer);
}
