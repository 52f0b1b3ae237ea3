using System.Text;
using Microsoft.Extensions.Configuration;
using Switchboard.Client.Security;

namespace Switchboard.Client.Configuration;

/// <summary>
/// The settings of one <c>AddSwitchboardKeyValues</c>: the SDK's own registry, token and TLS settings read from the
/// configuration being built (a provider exists before dependency injection), then the caller's callback, then checked.
/// </summary>
internal static class KeyValuesSettings
{
    private const string Root = SwitchboardOptions.SectionName;

    /// <summary>The longest prefix, in UTF-8 bytes (the registry's key limit).</summary>
    public const int MaxPrefixBytes = 512;

    /// <summary>The prefix as a folder: no leading <c>/</c>, a trailing <c>/</c> unless empty (every key).</summary>
    /// <exception cref="ArgumentException">The prefix cannot name keys (control characters, a <c>..</c> segment, too long).</exception>
    public static string NormalizePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var trimmed = prefix.TrimStart('/');
        if (trimmed.Any(char.IsControl))
            throw new ArgumentException($"The key prefix '{prefix}' holds a control character.", nameof(prefix));
        if (trimmed.Split('/').Contains(".."))
            throw new ArgumentException($"The key prefix '{prefix}' holds a '..' segment.", nameof(prefix));
        if (Encoding.UTF8.GetByteCount(trimmed) > MaxPrefixBytes)
            throw new ArgumentException($"The key prefix is longer than {MaxPrefixBytes} UTF-8 bytes.", nameof(prefix));
        return trimmed.Length == 0 || trimmed.EndsWith('/') ? trimmed : trimmed + "/";
    }

    public static SwitchboardKeyValuesOptions Resolve(IConfiguration configuration, string prefix, Action<SwitchboardKeyValuesOptions>? configure)
    {
        var options = new SwitchboardKeyValuesOptions();
        var section = configuration.GetSection(Root);
        foreach (var registry in section.GetSection(nameof(SwitchboardOptions.Registries)).GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(registry.Value))
                options.Registries.Add(registry.Value);
        }
        options.Token = section[nameof(SwitchboardOptions.Token)];
        options.TokenFile = section[nameof(SwitchboardOptions.TokenFile)];
        var tls = section.GetSection(nameof(SwitchboardOptions.Tls));
        options.Tls.CaFile = tls[nameof(RegistryTlsOptions.CaFile)];
        options.Tls.ClientCertificateFile = tls[nameof(RegistryTlsOptions.ClientCertificateFile)];
        options.Tls.ClientKeyFile = tls[nameof(RegistryTlsOptions.ClientKeyFile)];
        configure?.Invoke(options);

        var errors = Validate(options);
        if (errors.Count > 0)
            throw new InvalidOperationException($"AddSwitchboardKeyValues(\"{prefix}\"): {string.Join(" ", errors)}");
        return options;
    }

    /// <summary>The SDK's options holding only the transport settings, for <see cref="RegistryToken"/> and <see cref="RegistryTransportValidation"/>.</summary>
    public static SwitchboardOptions Transport(SwitchboardKeyValuesOptions options)
    {
        var sdk = new SwitchboardOptions { Token = options.Token, TokenFile = options.TokenFile };
        sdk.Tls.CaFile = options.Tls.CaFile;
        sdk.Tls.ClientCertificateFile = options.Tls.ClientCertificateFile;
        sdk.Tls.ClientKeyFile = options.Tls.ClientKeyFile;
        return sdk;
    }

    private static List<string> Validate(SwitchboardKeyValuesOptions options)
    {
        var errors = new List<string>();
        if (options.Registries.Count == 0)
            errors.Add($"{Root}:Registries is empty; the keys are read from a registry, so name at least one.");
        for (var i = 0; i < options.Registries.Count; i++)
        {
            if (!Uri.TryCreate(options.Registries[i], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                errors.Add($"{Root}:Registries:{i}: '{options.Registries[i]}' is not an absolute http or https URL.");
        }
        if (options.StartupTimeout < TimeSpan.Zero)
            errors.Add($"StartupTimeout: {options.StartupTimeout} is negative.");
        if (options.WaitTime <= TimeSpan.Zero || options.WaitTime > SwitchboardKeyValuesOptions.MaxWaitTime)
            errors.Add($"WaitTime: {options.WaitTime} is not between 0 and {SwitchboardKeyValuesOptions.MaxWaitTime} (Consul's longest wait).");
        if (options.RetryBaseDelay <= TimeSpan.Zero)
            errors.Add($"RetryBaseDelay: {options.RetryBaseDelay} is not positive.");
        if (options.RetryMaxDelay < options.RetryBaseDelay)
            errors.Add($"RetryMaxDelay: {options.RetryMaxDelay} is shorter than RetryBaseDelay ({options.RetryBaseDelay}).");
        if (options.MaxResponseBytes is < 1 or > int.MaxValue)
            errors.Add($"MaxResponseBytes: {options.MaxResponseBytes} is not between 1 and {int.MaxValue}.");
        RegistryTransportValidation.Validate(Transport(options), errors);
        return errors;
    }
}
