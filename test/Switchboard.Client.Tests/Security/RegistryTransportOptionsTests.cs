using Microsoft.Extensions.Options;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Security;

/// <summary>Validation of the registry connection's token and TLS settings: each message names its key, never the secret.</summary>
public sealed class RegistryTransportOptionsTests : IDisposable
{
    private readonly TestCertificates _certificates = TestCertificates.Create("registry.switchboard.test");

    public void Dispose() => _certificates.Dispose();

    private static string Invalid(Dictionary<string, string?> config)
    {
        config["Switchboard:Registries:0"] = "https://127.0.0.1:8501";
        using var provider = ClientServices.Build(config);
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value).Message;
    }

    [Fact]
    public void TokenAndTokenFile_BothSet_NamesBoth()
    {
        var message = Invalid(new() { ["Switchboard:Token"] = "s3cret-value", ["Switchboard:TokenFile"] = _certificates.CaFile });
        Assert.Contains("Switchboard:Token and Switchboard:TokenFile are both set; set one of them.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_WithWhitespace_NamesTheKeyNotTheSecret()
    {
        var message = Invalid(new() { ["Switchboard:Token"] = "s3cret value" });
        Assert.Contains("Switchboard:Token: the token holds whitespace or control characters.", message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TokenFile_Missing_NamesTheKeyAndFile()
    {
        var missing = Path.Combine(_certificates.Folder, "token");
        Assert.Contains($"Switchboard:TokenFile: cannot use '{missing}': the file does not exist.", Invalid(new() { ["Switchboard:TokenFile"] = missing }), StringComparison.Ordinal);
    }

    [Fact]
    public void TlsFiles_Unusable_NameTheKeyAndFile()
    {
        var missing = Path.Combine(_certificates.Folder, "nope.pem");
        Assert.Contains($"Switchboard:Tls:CaFile: cannot use '{missing}': the file does not exist.",
            Invalid(new() { ["Switchboard:Tls:CaFile"] = missing }), StringComparison.Ordinal);
        Assert.Contains($"Switchboard:Tls:ClientKeyFile: cannot use '{_certificates.KeyFile}': the key does not match the certificate in '{_certificates.ClientCertificateFile}'.",
            Invalid(new() { ["Switchboard:Tls:ClientCertificateFile"] = _certificates.ClientCertificateFile, ["Switchboard:Tls:ClientKeyFile"] = _certificates.KeyFile }), StringComparison.Ordinal);
        Assert.Contains("Switchboard:Tls:ClientCertificateFile is set but Switchboard:Tls:ClientKeyFile is not; a client certificate needs its private key.",
            Invalid(new() { ["Switchboard:Tls:ClientCertificateFile"] = _certificates.ClientCertificateFile }), StringComparison.Ordinal);
    }
}
