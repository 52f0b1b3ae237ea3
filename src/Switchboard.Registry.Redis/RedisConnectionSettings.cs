using StackExchange.Redis;

namespace Switchboard.Registry.Redis;

/// <summary>The StackExchange.Redis configuration every connection of the store uses (catalog and ACL state).</summary>
internal static class RedisConnectionSettings
{
    public static ConfigurationOptions For(RedisStoreOptions options, string clientName)
    {
        var config = ConfigurationOptions.Parse(options.ConnectionString);
        config.ConnectTimeout = (int)options.ConnectTimeout.TotalMilliseconds;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ReconnectRetryPolicy = new LinearRetry(1000);
        config.ClientName ??= clientName;
        config.AbortOnConnectFail = true;
        if (options.TrustedCaFile is { } ca)
            config.TrustIssuer(ca); // this connection only; the machine's trust store is not touched
        return config;
    }
}
