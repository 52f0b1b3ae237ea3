using System.Net;
using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Registry.Health;

/// <summary>Decides which addresses a health check may reach: its instance's own host, plus <see cref="CheckTargetOptions.AllowedNetworks"/>; link-local addresses only when listed.</summary>
/// <remarks>Applied twice: to the check's host when the instance registers (a refused target is a 400 naming the field), and to every address a probe is about to connect to, after name resolution (a name may resolve to a metadata address).</remarks>
internal sealed class CheckTargetPolicy
{
    private static readonly IPNetwork LinkLocalV4 = IPNetwork.Parse("169.254.0.0/16");
    private static readonly IPNetwork LinkLocalV6 = IPNetwork.Parse("fe80::/10");
    private readonly List<IPNetwork> _networks = [];
    private readonly HashSet<string> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the policy from validated options.</summary>
    public CheckTargetPolicy(CheckTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var entry in options.AllowedNetworks)
        {
            if (IPNetwork.TryParse(entry, out var network))
                _networks.Add(network);
            else if (IPAddress.TryParse(entry, out var address))
                _networks.Add(new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            else
                _hosts.Add(entry.Trim());
        }
    }

    /// <summary>Why a check of <paramref name="instance"/> may not target what it names, or null when it may.</summary>
    /// <param name="instance">The instance registering.</param>
    /// <param name="position">The check's position, used in the field name (<c>checks[i].http</c>).</param>
    /// <param name="field">The wire name of the refused field.</param>
    public string? Refusal(ServiceInstance instance, int position, out string field)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var spec = instance.Checks[position].Spec;
        string? host = null;
        field = "";
        if (spec.Kind == HealthCheckKind.Http && spec.Http is { Length: > 0 } http && !http.StartsWith('/') && Uri.TryCreate(http, UriKind.Absolute, out var url))
        {
            host = url.Host.Trim('[', ']');
            field = $"checks[{position}].http";
        }
        else if (spec.Kind == HealthCheckKind.Tcp && spec.Tcp is { Length: > 0 } tcp && RegistrationValidator.TryParseHostPort(tcp, out var tcpHost, out _))
        {
            host = tcpHost.Trim('[', ']');
            field = $"checks[{position}].tcp";
        }
        if (host is null)
        {
            field = $"checks[{position}]";
            host = instance.Host.Trim('[', ']'); // the check reaches the instance itself
        }
        var own = string.Equals(host, instance.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase);
        if (IPAddress.TryParse(host, out var address))
        {
            if (IsLinkLocal(address) && !IsListed(address))
                return $"{field} targets {address}, a link-local address (cloud metadata services live there); list it in Switchboard:Registry:Checks:AllowedNetworks to allow it.";
            if (own || IsListed(address))
                return null;
        }
        else if (own || _hosts.Contains(host))
        {
            return null;
        }
        return $"{field} targets {host}, which is not the instance's own host ({instance.Host}); a check may reach another address only when Switchboard:Registry:Checks:AllowedNetworks lists it.";
    }

    /// <summary>Whether a probe may connect to <paramref name="address"/>, resolved from a target this policy accepted: refused only for an unlisted link-local address.</summary>
    public bool MayConnect(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return !IsLinkLocal(address) || IsListed(address);
    }

    private static bool IsLinkLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        return LinkLocalV4.Contains(address) || LinkLocalV6.Contains(address);
    }

    private bool IsListed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        foreach (var network in _networks)
        {
            if (network.Contains(address))
                return true;
        }
        return false;
    }
}
