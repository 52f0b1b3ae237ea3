using Switchboard.Client.Configuration;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds the registry's key/value store to configuration.</summary>
public static class SwitchboardKeyValuesConfigurationExtensions
{
    /// <summary>
    /// Loads every key under <paramref name="prefix"/> into configuration and keeps it current: <c>app/orders/Timeout</c>
    /// under <c>app/orders/</c> becomes <c>Timeout</c>, <c>/</c> becomes <c>:</c>, values are UTF-8 text. Changes arrive
    /// through blocking queries on the Consul-compatible <c>/v1/kv</c> route (a real Consul works too) and raise the
    /// configuration's change token, so <c>IOptionsMonitor</c> sees them. While no registry answers, the last values stay.
    /// </summary>
    /// <param name="builder">The configuration being built (<c>builder.Configuration</c>); its <c>Switchboard</c> section gives the registries, token and TLS.</param>
    /// <param name="prefix">The key folder to read (<c>app/orders/</c>; a missing trailing <c>/</c> is added; empty: every key).</param>
    /// <param name="configure">Adjusts the settings (start-up timeout, <c>Optional</c>, JSON expansion, ...).</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The prefix cannot name keys.</exception>
    public static IConfigurationBuilder AddSwitchboardKeyValues(this IConfigurationBuilder builder, string prefix, Action<SwitchboardKeyValuesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new SwitchboardKeyValuesSource(KeyValuesSettings.NormalizePrefix(prefix), configure));
    }
}
