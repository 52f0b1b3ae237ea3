using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Switchboard.Client.Security;

/// <summary>
/// The ACL token sent to the registry: <see cref="SwitchboardOptions.Token"/>, or the content of
/// <see cref="SwitchboardOptions.TokenFile"/>, read again whenever the file's last-write time or length changes, so a rotated
/// token is used from the next request on. The secret itself is never logged; messages name the file only.
/// </summary>
internal sealed partial class RegistryToken
{
    private readonly string? _token;
    private readonly string? _file;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private FileStamp _read;
    private FileStamp? _failed;
    private string? _secret;

    public RegistryToken(IOptions<SwitchboardOptions> options, ILogger<RegistryToken> logger)
    {
        _logger = logger;
        var o = options.Value;
        _token = string.IsNullOrEmpty(o.Token) ? null : o.Token;
        _file = string.IsNullOrEmpty(o.TokenFile) ? null : o.TokenFile;
    }

    /// <summary>The secret to send now, or null for none (anonymous).</summary>
    public string? Current
    {
        get
        {
            if (_file is null)
                return _token;
            var stamp = FileStamp.Of(_file);
            lock (_gate)
            {
                if (stamp != _read && stamp != _failed)
                    Reload(stamp);
                return _secret;
            }
        }
    }

    private void Reload(FileStamp stamp)
    {
        if (Read(_file!, out var secret) is { } problem)
        {
            // The last secret read stays in use: a rotation half done must not turn every request anonymous.
            _failed = stamp;
            LogUnreadable(_logger, _file!, problem);
            return;
        }
        var first = _secret is null;
        _secret = secret;
        _read = stamp;
        _failed = null;
        if (!first)
            LogReloaded(_logger, _file!);
    }

    /// <summary>Reads a token file: the secret, trimmed; or why it cannot be used (the secret never appears in it).</summary>
    public static string? Read(string path, out string? secret)
    {
        secret = null;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return "the file does not exist";
        }
        catch (UnauthorizedAccessException)
        {
            return Directory.Exists(path) ? "it is a directory, not a file" : "the file cannot be read (permission denied)";
        }
        catch (IOException ex)
        {
            return "the file cannot be read: " + ex.Message;
        }
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            return "the file is empty";
        if (Problem(trimmed) is { } problem)
            return problem;
        secret = trimmed;
        return null;
    }

    /// <summary>Why a secret cannot be sent in a header, or null.</summary>
    public static string? Problem(string secret)
        => secret.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "the token holds whitespace or control characters" : null;

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "Switchboard registry token read again from {File}")]
    private static partial void LogReloaded(ILogger logger, string file);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Warning, Message = "Switchboard registry token file {File} cannot be used ({Problem}); the last token read stays in use")]
    private static partial void LogUnreadable(ILogger logger, string file, string problem);

    private readonly record struct FileStamp(DateTime LastWrite, long Length)
    {
        public static FileStamp Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : default;
        }
    }
}
