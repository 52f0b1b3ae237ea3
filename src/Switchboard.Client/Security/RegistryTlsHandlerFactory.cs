using System.Net.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Tls;

namespace Switchboard.Client.Security;

/// <summary>
/// The registry connection's primary handler, with <see cref="RegistryTlsOptions"/> applied. The files are read each time
/// the HTTP client factory builds a handler (every couple of minutes), so a renewed client certificate is picked up
/// without a restart; a file that cannot be used then leaves the last good settings in use.
/// </summary>
internal sealed partial class RegistryTlsHandlerFactory(IOptions<SwitchboardOptions> options, ILogger<RegistryTlsHandlerFactory> logger)
{
    private SslClientAuthenticationOptions? _lastGood;

    public HttpMessageHandler Create()
    {
        var tls = options.Value.Tls;
        var handler = new SocketsHttpHandler();
        if (tls.CaFile is null && tls.ClientCertificateFile is null)
            return handler;
        SslClientAuthenticationOptions ssl;
        try
        {
            ssl = ClientTls.Options(tls.CaFile, tls.ClientCertificateFile, tls.ClientKeyFile);
            Volatile.Write(ref _lastGood, ssl);
        }
        catch (PemFileException ex) when (Volatile.Read(ref _lastGood) is { } last)
        {
            LogUnusable(logger, RegistryTransportValidation.Key(ex.Role), ex.Message);
            ssl = last;
        }
        handler.SslOptions = ssl;
        return handler;
    }

    [LoggerMessage(EventId = 1602, Level = LogLevel.Warning, Message = "{Setting}: {Problem}; the registry connection keeps the TLS settings it last loaded")]
    private static partial void LogUnusable(ILogger logger, string setting, string problem);
}
