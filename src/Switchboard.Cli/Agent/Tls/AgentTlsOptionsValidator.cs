using Microsoft.Extensions.Options;
using Switchboard.Tls;

namespace Switchboard.Cli.Agent.Tls;

/// <summary>Checks that the TLS settings go together and that every file can be used, before the agent listens.</summary>
internal sealed class AgentTlsOptionsValidator : IValidateOptions<AgentTlsOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentTlsOptions options)
    {
        var errors = new List<string>();
        var cert = AgentTlsOptions.Setting(nameof(AgentTlsOptions.CertFile));
        var key = AgentTlsOptions.Setting(nameof(AgentTlsOptions.KeyFile));
        var ca = AgentTlsOptions.Setting(nameof(AgentTlsOptions.CaFile));
        var verify = AgentTlsOptions.Setting(nameof(AgentTlsOptions.VerifyIncoming));
        if (options.CertFile is null != options.KeyFile is null)
            errors.Add(options.CertFile is null ? $"{key} is set but {cert} is not; both are needed." : $"{cert} is set but {key} is not; both are needed.");
        if (options.VerifyIncoming && options.CaFile is null)
            errors.Add($"{verify} needs {ca}: the certificate authority whose client certificates are accepted.");
        if (options.CaFile is not null && !options.VerifyIncoming)
            errors.Add($"{ca} is used only to verify callers' certificates: add {verify}.");
        if (options.CaFile is not null && options.CertFile is null)
            errors.Add($"{ca} is set but {cert} is not: mutual TLS needs the agent to serve HTTPS.");
        if (options.ReloadCheckInterval <= TimeSpan.Zero)
            errors.Add($"{AgentTlsOptions.Setting(nameof(AgentTlsOptions.ReloadCheckInterval))}: {options.ReloadCheckInterval} must be positive.");
        if (errors.Count == 0 && options.Enabled)
        {
            try
            {
                AgentTlsMaterial.Load(options);
            }
            catch (PemFileException ex)
            {
                errors.Add($"{AgentTlsMaterial.Setting(ex.Role)}: {ex.Message}.");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
