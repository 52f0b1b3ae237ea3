using Microsoft.Extensions.Logging;
using Switchboard.Tls;

namespace Switchboard.Cli.Agent.Tls;

/// <summary>
/// The agent's current TLS material, loaded again when the files' last-write times change: a certificate renewed on disk
/// is served from the next handshake on, without a restart. The times are compared at most once per
/// <see cref="AgentTlsOptions.ReloadCheckInterval"/>; files that cannot be used yet (a renewal half written) leave the
/// previous certificate in service, with one warning per change.
/// </summary>
internal sealed partial class ServerCertificateReloader
{
    private readonly AgentTlsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private AgentTlsMaterial _current;
    private FileStamps _loaded;
    private FileStamps? _failed;
    private long _nextCheckTicks;

    public ServerCertificateReloader(AgentTlsOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _loaded = FileStamps.Read(options);
        _current = AgentTlsMaterial.Load(options);
        _nextCheckTicks = NextCheck();
    }

    /// <summary>The material to use for a handshake now, reloaded first when a check is due and the files changed.</summary>
    public AgentTlsMaterial Current
    {
        get
        {
            if (_time.GetUtcNow().UtcTicks < Volatile.Read(ref _nextCheckTicks))
                return Volatile.Read(ref _current);
            lock (_gate)
            {
                if (_time.GetUtcNow().UtcTicks >= _nextCheckTicks)
                {
                    Check();
                    Volatile.Write(ref _nextCheckTicks, NextCheck());
                }
                return _current;
            }
        }
    }

    private long NextCheck() => (_time.GetUtcNow() + _options.ReloadCheckInterval).UtcTicks;

    private void Check()
    {
        var stamps = FileStamps.Read(_options);
        if (stamps == _loaded || stamps == _failed)
            return;
        try
        {
            var material = AgentTlsMaterial.Load(_options);
            // The previous material is not disposed: handshakes under way may still be using it.
            Volatile.Write(ref _current, material);
            _loaded = stamps;
            _failed = null;
            var certificate = material.Identity.Certificate;
            LogReloaded(_logger, _options.CertFile!, certificate.Subject, certificate.Thumbprint, certificate.NotAfter.ToUniversalTime());
        }
        catch (PemFileException ex)
        {
            _failed = stamps;
            LogNotReloaded(_logger, AgentTlsMaterial.Setting(ex.Role), ex.Message, _current.Identity.Certificate.Thumbprint);
        }
    }

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "TLS certificate reloaded from {File}: {Subject}, thumbprint {Thumbprint}, valid until {NotAfter:u}")]
    private static partial void LogReloaded(ILogger logger, string file, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "TLS files changed but cannot be used ({Setting}: {Reason}); still serving the certificate with thumbprint {Thumbprint}")]
    private static partial void LogNotReloaded(ILogger logger, string setting, string reason, string thumbprint);

    /// <summary>The last-write times of the files (a missing file reads as the earliest time).</summary>
    private readonly record struct FileStamps(DateTime Certificate, DateTime Key, DateTime Ca)
    {
        public static FileStamps Read(AgentTlsOptions options) => new(
            File.GetLastWriteTimeUtc(options.CertFile!),
            File.GetLastWriteTimeUtc(options.KeyFile!),
            options.CaFile is { } ca ? File.GetLastWriteTimeUtc(ca) : default);
    }
}
