using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Registry.Redis;

/// <summary>Rejects a connection string StackExchange.Redis cannot parse, and a trusted CA file it could not use, when configuration loads.</summary>
internal sealed class RedisStoreOptionsValidator : IValidateOptions<RedisStoreOptions>
{
    /// <summary>How the CA setting is named in messages: its configuration key and the agent's option.</summary>
    internal const string CaSetting = RedisStoreOptions.SectionName + ":" + nameof(RedisStoreOptions.TrustedCaFile) + " (--redis-ca)";

    public ValidateOptionsResult Validate(string? name, RedisStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail("Switchboard:Store:Redis:ConnectionString is required (for example localhost:6379).");
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(options.ConnectionString);
            if (parsed.EndPoints.Count == 0)
                return ValidateOptionsResult.Fail($"the Redis connection string '{Redact(options.ConnectionString)}' names no endpoint (for example localhost:6379).");
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"the Redis connection string '{Redact(options.ConnectionString)}' is invalid: {ex.Message}");
        }
        if (options.TrustedCaFile is { } ca)
        {
            if (!parsed.Ssl)
                return ValidateOptionsResult.Fail($"{CaSetting} is set but the Redis connection string does not turn TLS on (add ssl=true).");
            if (CaProblem(ca) is { } problem)
                return ValidateOptionsResult.Fail($"{CaSetting}: cannot use '{ca}': {problem}.");
        }
        return ValidateOptionsResult.Success;
    }

    /// <summary>Why the file cannot serve as a trusted issuer, or null when it holds a certificate.</summary>
    private static string? CaProblem(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return "the path is empty";
        if (!File.Exists(path))
            return Directory.Exists(path) ? "it is a directory, not a certificate file" : "the file does not exist";
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(path);
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return "the file cannot be read (permission denied)";
        }
        catch (IOException ex)
        {
            return "the file cannot be read: " + ex.Message;
        }
        catch (CryptographicException)
        {
            return "it does not hold a PEM or DER certificate";
        }
    }

    /// <summary>The connection string without its password.</summary>
    internal static string Redact(string connectionString)
        => string.Join(',', connectionString.Split(',').Select(p => p.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=*****" : p));
}

/// <summary>The data-annotation rules of <see cref="RedisStoreOptions"/>, checked by generated code; <see cref="RedisStoreOptionsValidator"/> adds the rest.</summary>
[OptionsValidator]
internal sealed partial class RedisStoreOptionsDataValidator : IValidateOptions<RedisStoreOptions>
{
}
