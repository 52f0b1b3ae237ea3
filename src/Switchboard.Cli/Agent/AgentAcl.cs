using Microsoft.Extensions.Configuration;

namespace Switchboard.Cli.Agent;

/// <summary>The agent's ACL flags: <c>--acl</c> and <c>--acl-default-policy</c> over <c>Switchboard:Acl</c>.</summary>
internal static class AgentAcl
{
    /// <summary>The values <c>--acl-default-policy</c> accepts.</summary>
    public static readonly string[] DefaultPolicies = ["allow", "deny"];

    /// <summary>
    /// Turns ACLs on and sets the default policy when the command line asks, as configuration added last (so the flags
    /// win over appsettings and the environment, and everything that reads <c>Switchboard:Acl</c> sees them).
    /// </summary>
    public static void Configure(IConfigurationBuilder configuration, AgentSettings settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (settings.Acl)
            values["Switchboard:Acl:Enabled"] = "true";
        if (settings.AclDefaultPolicy is { } policy)
            values["Switchboard:Acl:DefaultPolicy"] = policy;
        if (values.Count > 0)
            configuration.AddInMemoryCollection(values);
    }
}
