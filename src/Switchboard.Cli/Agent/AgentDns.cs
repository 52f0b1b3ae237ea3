using Microsoft.Extensions.Configuration;

namespace Switchboard.Cli.Agent;

/// <summary>The agent's DNS flags, <c>--dns-port</c> and <c>--dns-domain</c>, over <c>Switchboard:Dns</c> (docs/dns.md).</summary>
internal static class AgentDns
{
    private const string Section = "Switchboard:Dns";

    /// <summary>
    /// Adds the flags as configuration added last (they win over appsettings and the environment), and the agent's
    /// defaults: DNS on the HTTP bind address; a port named by a flag or a setting must be free or the agent does not
    /// start, while the default 8600 taken by another process only turns DNS off with a warning.
    /// </summary>
    public static void Configure(IConfigurationManager configuration, AgentSettings settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (configuration[$"{Section}:BindAddress"] is null)
            values[$"{Section}:BindAddress"] = settings.Bind;
        if (settings.DnsPort is { } port)
            values[$"{Section}:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (settings.DnsPort is null && configuration[$"{Section}:Port"] is null && configuration[$"{Section}:RequirePort"] is null)
            values[$"{Section}:RequirePort"] = "false";
        if (settings.DnsDomain is { } domain)
            values[$"{Section}:AltDomain"] = domain;
        configuration.AddInMemoryCollection(values);
    }
}
