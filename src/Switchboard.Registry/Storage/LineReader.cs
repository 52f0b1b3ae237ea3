namespace Switchboard.Registry.Storage;

/// <summary>Reads a file line by line as bytes, with the byte offset of each line and whether it ended with a newline.</summary>
internal sealed class LineReader : IDisposable
{
    private readonly FileStream _file;
    private byte[] _buffer = new byte[64 * 1024];
    private long _bufferOffset; // the file offset of _buffer[0]
    private int _start;
    private int _end;
    private bool _eof;

    public LineReader(string path)
        => _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);

    /// <summary>The file's length when it was opened.</summary>
    public long Length => _file.Length;

    /// <summary>The next line (without its newline); false at the end of the file.</summary>
    public bool TryRead(out long offset, out ReadOnlySpan<byte> line, out bool terminated)
    {
        while (true)
        {
            var index = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            offset = _bufferOffset + _start;
            if (index >= 0)
            {
                line = _buffer.AsSpan(_start, index);
                terminated = true;
                _start += index + 1;
                return true;
            }
            if (_eof)
            {
                line = _buffer.AsSpan(_start, _end - _start);
                terminated = false;
                _start = _end;
                return line.Length > 0;
            }
            Fill();
        }
    }

    /// <summary>Whether nothing follows the last line read.</summary>
    public bool AtEnd()
    {
        while (_start == _end && !_eof)
            Fill();
        return _start == _end;
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = _file.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _eof = true;
        _end += read;
    }

    public void Dispose() => _file.Dispose();
}
