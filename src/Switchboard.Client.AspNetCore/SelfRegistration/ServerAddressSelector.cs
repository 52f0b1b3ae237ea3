using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Switchboard.Client.SelfRegistration;

/// <summary>Chooses the address to register from the server's bound addresses.</summary>
/// <remarks>
/// A specific binding (<c>http://10.0.0.5:8080</c>, <c>http://127.0.0.1:5000</c>) is registered as bound. A wildcard
/// binding (<c>http://+:80</c>, <c>http://*:80</c>, <c>http://0.0.0.0:80</c>, <c>http://[::]:80</c>) is registered
/// with this machine's first non-loopback address, never loopback: the container case where registering
/// <c>localhost</c> makes the instance unreachable.
/// </remarks>
internal static class ServerAddressSelector
{
    /// <summary>Picks protocol, host and port: http preferred over https when both are bound (in-cluster traffic), the first of each otherwise.</summary>
    /// <returns>The address, or null when no usable address is bound.</returns>
    public static (string Protocol, string Host, int Port)? Select(IEnumerable<string> addresses, Func<string> machineAddress)
    {
        (string, string, int)? https = null;
        foreach (var raw in addresses)
        {
            var normalized = raw.Replace("://+", "://wildcard.invalid", StringComparison.Ordinal).Replace("://*", "://wildcard.invalid", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                continue;
            var host = uri.Host.Trim('[', ']');
            if (IsWildcard(host))
                host = machineAddress();
            var result = (uri.Scheme, host, uri.Port);
            if (uri.Scheme == "http")
                return result;
            https ??= result;
        }
        return https;
    }

    /// <summary>This machine's first up, non-loopback IPv4 address (else IPv6, else its host name).</summary>
    public static string MachineAddress()
    {
        try
        {
            var addresses = NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address))
                .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
                .ToArray();
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (chosen is not null)
                return chosen.ToString();
        }
        catch (NetworkInformationException)
        {
        }
        return Dns.GetHostName();
    }

    private static bool IsWildcard(string host) =>
        host is "wildcard.invalid" or "0.0.0.0" or "::" || (IPAddress.TryParse(host, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));
}
