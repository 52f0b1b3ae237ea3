using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Switchboard.Cli.Agent.Tls;

/// <summary>Registers the agent's TLS: <see cref="AgentTlsOptions"/> from <c>Switchboard:Tls</c>, overridden by the command line, validated, and <see cref="AgentTls"/>.</summary>
internal static class AgentTlsSetup
{
    public static void Add(IServiceCollection services, AgentSettings settings)
    {
        services.AddOptions<AgentTlsOptions>().BindConfiguration(AgentTlsOptions.SectionName).Configure(o =>
        {
            o.CertFile = settings.TlsCert ?? o.CertFile;
            o.KeyFile = settings.TlsKey ?? o.KeyFile;
            o.CaFile = settings.TlsCa ?? o.CaFile;
            o.VerifyIncoming |= settings.VerifyIncoming;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentTlsOptions>, AgentTlsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AgentTls>();
    }
}
