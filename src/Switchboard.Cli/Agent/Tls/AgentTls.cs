using System.Net.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Tls;

namespace Switchboard.Cli.Agent.Tls;

/// <summary>HTTPS on the agent's listener: the current certificate for each handshake, mutual TLS, and a warm-up request that gets through both.</summary>
internal sealed class AgentTls
{
    private readonly ServerCertificateReloader? _certificates;
    private readonly WarmUpIdentity? _warmUp;

    /// <exception cref="OptionsValidationException">The TLS settings are wrong or a file cannot be used.</exception>
    public AgentTls(IOptions<AgentTlsOptions> options, TimeProvider time, ILogger<AgentTls> logger)
    {
        var o = options.Value;
        if (!o.Enabled)
            return;
        _certificates = new ServerCertificateReloader(o, time, logger);
        if (o.VerifyIncoming)
            _warmUp = new WarmUpIdentity(time);
    }

    /// <summary>Makes <paramref name="listen"/> serve HTTPS when a certificate is configured; otherwise leaves it plain HTTP.</summary>
    public void Use(ListenOptions listen)
    {
        if (_certificates is not null)
            listen.UseHttps(new TlsHandshakeCallbackOptions { OnConnection = OnConnection });
    }

    /// <summary>A handler for the agent's own warm-up request: it trusts exactly the certificate the agent serves and, with mutual TLS, presents the warm-up identity.</summary>
    public HttpMessageHandler WarmUpHandler()
    {
        var handler = new SocketsHttpHandler();
        if (_certificates is null)
            return handler;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _)
            => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(_certificates.Current.Identity.Certificate.RawData);
        if (_warmUp is not null)
            handler.SslOptions.ClientCertificateContext = _warmUp.ClientContext;
        return handler;
    }

    /// <summary>Called once the warm-up request has been answered (or has failed).</summary>
    public void EndWarmUp() => _warmUp?.End();

    private ValueTask<SslServerAuthenticationOptions> OnConnection(TlsHandshakeCallbackContext context)
    {
        var material = _certificates!.Current;
        var options = new SslServerAuthenticationOptions { ServerCertificateContext = material.Context };
        if (material.ClientRoots is { } roots)
        {
            options.ClientCertificateRequired = true;
            // A new policy per handshake: SslStream may add the peer's intermediates to the policy it is given.
            options.CertificateChainPolicy = TrustedRoots.ForClientCertificates(roots);
            options.RemoteCertificateValidationCallback = (_, certificate, _, errors)
                => certificate is not null && (errors == SslPolicyErrors.None || _warmUp?.Accepts(certificate) == true);
        }
        return ValueTask.FromResult(options);
    }
}
