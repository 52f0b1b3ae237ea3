using Switchboard.Tls;

namespace Switchboard.Client.Security;

/// <summary>Validates the registry connection's token and TLS settings; messages name the key, never the secret.</summary>
internal static class RegistryTransportValidation
{
    private const string Root = SwitchboardOptions.SectionName;

    public static void Validate(SwitchboardOptions options, List<string> errors)
    {
        var token = !string.IsNullOrEmpty(options.Token);
        var tokenFile = !string.IsNullOrEmpty(options.TokenFile);
        if (token && tokenFile)
            errors.Add($"{Root}:Token and {Root}:TokenFile are both set; set one of them.");
        else if (token && RegistryToken.Problem(options.Token!) is { } problem)
            errors.Add($"{Root}:Token: {problem}.");
        else if (tokenFile && RegistryToken.Read(options.TokenFile!, out _) is { } fileProblem)
            errors.Add($"{Root}:TokenFile: cannot use '{options.TokenFile}': {fileProblem}.");

        var tls = options.Tls;
        var certificate = Key(PemFileRole.Certificate);
        var key = Key(PemFileRole.PrivateKey);
        if (tls.ClientCertificateFile is null != tls.ClientKeyFile is null)
        {
            errors.Add(tls.ClientCertificateFile is null
                ? $"{key} is set but {certificate} is not; a client key needs its certificate."
                : $"{certificate} is set but {key} is not; a client certificate needs its private key.");
            return;
        }
        if (tls.CaFile is null && tls.ClientCertificateFile is null)
            return;
        try
        {
            ClientTls.Options(tls.CaFile, tls.ClientCertificateFile, tls.ClientKeyFile);
        }
        catch (PemFileException ex)
        {
            errors.Add($"{Key(ex.Role)}: {ex.Message}.");
        }
    }

    /// <summary>The configuration key of a file of <paramref name="role"/>.</summary>
    public static string Key(PemFileRole role) => role switch
    {
        PemFileRole.CertificateAuthority => $"{Root}:Tls:{nameof(RegistryTlsOptions.CaFile)}",
        PemFileRole.Certificate => $"{Root}:Tls:{nameof(RegistryTlsOptions.ClientCertificateFile)}",
        _ => $"{Root}:Tls:{nameof(RegistryTlsOptions.ClientKeyFile)}",
    };
}
