using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Switchboard.Registry.Redis;

/// <summary>Rejects a connection string StackExchange.Redis cannot parse when configuration loads.</summary>
internal sealed class RedisStoreOptionsValidator : IValidateOptions<RedisStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisStoreOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            return ValidateOptionsResult.Fail("Switchboard:Store:Redis:ConnectionString is required (for example localhost:6379).");
        try
        {
            var parsed = ConfigurationOptions.Parse(options.ConnectionString);
            if (parsed.EndPoints.Count == 0)
                return ValidateOptionsResult.Fail($"the Redis connection string '{Redact(options.ConnectionString)}' names no endpoint (for example localhost:6379).");
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"the Redis connection string '{Redact(options.ConnectionString)}' is invalid: {ex.Message}");
        }
        return ValidateOptionsResult.Success;
    }

    /// <summary>The connection string without its password.</summary>
    internal static string Redact(string connectionString)
        => string.Join(',', connectionString.Split(',').Select(p => p.TrimStart().StartsWith("password=", StringComparison.OrdinalIgnoreCase) ? "password=*****" : p));
}
