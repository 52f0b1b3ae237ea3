using System.Net;

namespace Switchboard.Server.Limits;

/// <summary>The address a per-client limit counts: IPv4 clients on a dual-stack socket count as their IPv4 address.</summary>
internal static class ClientAddress
{
    public static IPAddress Of(IPAddress? remote)
        => remote is null ? IPAddress.None : remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
}
