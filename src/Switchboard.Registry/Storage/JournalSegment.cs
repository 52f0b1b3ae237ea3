namespace Switchboard.Registry.Storage;

/// <summary>
/// The journal segment being appended to. Each batch is written unbuffered in one piece, then fsynced; a batch that fails
/// is cut back off the file (its length before the batch), so no partial record stays behind a failed write.
/// </summary>
internal sealed class JournalSegment : IDisposable
{
    private readonly FileStream _file;
    private bool _dirty; // bytes of a failed batch may still sit past Length

    private JournalSegment(string path, FileStream file)
    {
        Path = path;
        _file = file;
        Length = file.Length;
    }

    /// <summary>The segment's file.</summary>
    public string Path { get; }

    /// <summary>The end of the last durable record.</summary>
    public long Length { get; private set; }

    /// <summary>Opens (or creates) <paramref name="path"/> to append after its current end.</summary>
    public static JournalSegment Open(string path)
        => new(path, new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read, bufferSize: 0));

    /// <summary>Appends <paramref name="batch"/> and makes it durable; on failure the file is cut back to where it was.</summary>
    public void Append(ReadOnlySpan<byte> batch, bool fsync)
    {
        if (_dirty)
            CutBack();
        try
        {
            _file.Position = Length;
            _file.Write(batch);
            _file.Flush(flushToDisk: fsync);
            Length += batch.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _dirty = true;
            try
            {
                CutBack();
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                // Still dirty: the next batch cuts back first, and fails if it cannot.
            }
            throw;
        }
    }

    private void CutBack()
    {
        _file.SetLength(Length);
        _file.Flush(flushToDisk: true);
        _dirty = false;
    }

    public void Dispose() => _file.Dispose();
}
