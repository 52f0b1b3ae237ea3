using System.Buffers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Acl;

/// <summary>
/// Keeps the ACL state in <c>acl.json</c> in the embedded store's data directory: one checksummed line (the journal's
/// <c>&lt;crc32&gt; &lt;json&gt;</c> format), replaced atomically (temporary file, fsync, rename, directory fsync), readable by
/// its owner only. A damaged file is refused at load with one <see cref="AclStoreCorruptException"/> naming it.
/// </summary>
public sealed class EmbeddedAclStore : IAclStore
{
    /// <summary>The file name in the data directory.</summary>
    public const string FileName = "acl.json";

    private readonly EmbeddedStoreOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _version = -1; // unknown until loaded or saved

    /// <summary>Creates the store; nothing is read before <see cref="LoadAsync"/>.</summary>
    public EmbeddedAclStore(IOptions<EmbeddedStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
    }

    /// <summary>The path of <c>acl.json</c>.</summary>
    public string FilePath => Path.Combine(_options.DataDirectory, FileName);

    /// <inheritdoc />
    public event EventHandler? Changed
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public async Task<AclState> LoadAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = Read(FilePath);
            _version = state.Version;
            return state;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<bool> SaveAsync(AclState state, long expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_version < 0)
                _version = Read(FilePath).Version;
            if (_version != expectedVersion)
                return false;
            try
            {
                Write(state);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new RegistryStoreUnavailableException($"cannot save the ACL state to {FilePath}: {ex.Message}", ex);
            }
            _version = state.Version;
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static AclState Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return AclState.Empty;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EmbeddedStoreException($"{path}: cannot read the ACL state: {ex.Message}", ex);
        }
        if (bytes.Length == 0 || bytes[^1] != (byte)'\n')
            throw new AclStoreCorruptException(path, "the file is incomplete (no final newline)");
        if (RecordLine.Check(bytes.AsSpan(0, bytes.Length - 1), allowLegacy: false, out var json) is { } problem)
            throw new AclStoreCorruptException(path, problem);
        try
        {
            return JsonSerializer.Deserialize(json, AclJsonContext.Default.AclState) ?? throw new AclStoreCorruptException(path, "the file holds null");
        }
        catch (JsonException ex)
        {
            throw new AclStoreCorruptException(path, "not valid JSON: " + ex.Message);
        }
    }

    private void Write(AclState state)
    {
        Directory.CreateDirectory(_options.DataDirectory);
        var line = new ArrayBufferWriter<byte>(4096);
        RecordLine.Write(JsonSerializer.SerializeToUtf8Bytes(state, AclJsonContext.Default.AclState), line);
        var temp = FilePath + ".tmp";
        var create = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // token hashes: the owner's only
        using (var file = new FileStream(temp, create))
        {
            file.Write(line.WrittenSpan);
            file.Flush(flushToDisk: _options.Fsync);
        }
        File.Move(temp, FilePath, overwrite: true);
        if (_options.Fsync)
            DataFiles.SyncDirectory(_options.DataDirectory);
    }
}
