using System.Net;

namespace Switchboard.Cli.Agent;

/// <summary>The loud start-up warning of an agent that anyone on the network can change: bound beyond loopback with ACLs off.</summary>
internal static class AgentExposure
{
    /// <summary>The warning line, or null when the agent listens on loopback only or enforces ACLs.</summary>
    public static string? Warning(string bind, bool aclEnabled)
    {
        if (aclEnabled || IsLoopback(bind))
            return null;
        return $"switchboard: WARNING: listening on {bind} with ACLs off: anyone who reaches this port can register, deregister and read every service; "
            + "start with --acl (Switchboard:Acl:Enabled) and TLS, or bind to 127.0.0.1 (docs/security.md)";
    }

    private static bool IsLoopback(string bind)
        => bind.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(bind.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
