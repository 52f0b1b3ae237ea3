using System.Net;

namespace Switchboard.Registry.Health;

/// <summary>Resolves a probe's host to the addresses it may connect to (<see cref="CheckTargetPolicy.MayConnect"/>), so a name that resolves to a metadata address is never probed.</summary>
internal static class ProbeAddresses
{
    /// <summary>The allowed addresses of <paramref name="host"/>.</summary>
    /// <exception cref="ProbeTargetRefusedException">Every address it resolves to is refused.</exception>
    public static async Task<IPAddress[]> ResolveAsync(string host, CheckTargetPolicy targets, CancellationToken cancellationToken)
    {
        var bare = host.Trim('[', ']');
        var all = IPAddress.TryParse(bare, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(bare, cancellationToken).ConfigureAwait(false);
        var allowed = Array.FindAll(all, targets.MayConnect);
        return allowed.Length > 0 ? allowed : throw new ProbeTargetRefusedException(bare);
    }
}

/// <summary>A probe's host resolved only to addresses checks may not reach.</summary>
internal sealed class ProbeTargetRefusedException(string host)
    : System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AccessDenied, $"{host} resolves only to addresses health checks may not reach");
