using Microsoft.Extensions.DependencyInjection;
using Switchboard.Registry.Acl;

namespace Switchboard.Cli.Agent;

/// <summary>The agent's ACL flags: <c>--acl</c> and <c>--acl-default-policy</c> over <c>Switchboard:Acl</c>.</summary>
internal static class AgentAcl
{
    /// <summary>The values <c>--acl-default-policy</c> accepts.</summary>
    public static readonly string[] DefaultPolicies = ["allow", "deny"];

    /// <summary>Turns ACLs on and sets the default policy when the command line asks; otherwise configuration decides.</summary>
    public static void Configure(IServiceCollection services, AgentSettings settings)
    {
        if (settings.Acl)
            services.Configure<AclOptions>(o => o.Enabled = true);
        if (settings.AclDefaultPolicy is { } policy)
            services.Configure<AclOptions>(o => o.DefaultPolicy = policy);
    }
}
