using System.ComponentModel.DataAnnotations;

namespace Switchboard.Server.Consul;

/// <summary>How the Consul-compatible API describes the registry to Consul clients, bound from <c>Switchboard:Consul</c>.</summary>
/// <remarks>Switchboard is one Consul "node" in one datacenter: every instance appears registered on that node.</remarks>
public sealed class ConsulApiOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Consul";

    /// <summary>The default datacenter name (Consul's own default).</summary>
    public const string DefaultDatacenter = "dc1";

    /// <summary>The default node address.</summary>
    public const string DefaultNodeAddress = "127.0.0.1";

    /// <summary>The datacenter reported to clients; a request naming another (<c>?dc=</c>) gets Consul's <c>No path to datacenter</c>.</summary>
    /// <value>The default value is <c>dc1</c>.</value>
    [Required]
    [RegularExpression("^[a-zA-Z0-9_-]{1,64}$", ErrorMessage = "Switchboard:Consul:Datacenter must be 1 to 64 letters, digits, '-' or '_'.")]
    public string Datacenter { get; set; } = DefaultDatacenter;

    /// <summary>The node name every instance appears registered on.</summary>
    /// <value>The default value is the machine's host name, as Consul's.</value>
    [Required]
    [RegularExpression("^[a-zA-Z0-9_.-]{1,128}$", ErrorMessage = "Switchboard:Consul:NodeName must be 1 to 128 letters, digits, '.', '-' or '_'.")]
    public string NodeName { get; set; } = DefaultNodeName();

    /// <summary>The node's address: shown as the node <c>Address</c>, and used as the address of a service registered without one (as Consul uses the agent's).</summary>
    /// <value>The default value is <c>127.0.0.1</c>; the agent sets its bind address when that is a specific one.</value>
    [Required]
    public string NodeAddress { get; set; } = DefaultNodeAddress;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Uri.CheckHostName(NodeAddress) == UriHostNameType.Unknown)
            yield return new ValidationResult($"Switchboard:Consul:NodeAddress must be a host name or IP address, not '{NodeAddress}'.", [nameof(NodeAddress)]);
    }

    private static string DefaultNodeName()
    {
        var name = new string([.. Environment.MachineName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')]);
        return name.Length is > 0 and <= 128 ? name : "switchboard";
    }
}
