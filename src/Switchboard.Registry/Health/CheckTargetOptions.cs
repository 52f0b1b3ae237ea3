using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Switchboard.Registry.Health;

/// <summary>Where HTTP and TCP checks may point, bound from <c>Switchboard:Registry:Checks</c>.</summary>
/// <remarks>
/// By default a check may target only the host its instance registered, so the registry cannot be used to send requests
/// into the rest of the network. Link-local addresses (169.254.0.0/16, fe80::/10, among them cloud metadata services) are
/// refused even then, unless a network listed here contains them.
/// </remarks>
public sealed class CheckTargetOptions : IValidatableObject
{
    /// <summary>Networks (CIDR such as <c>10.0.0.0/8</c>, or a single address) and host names checks may target besides their instance's own host.</summary>
    /// <value>The default value is empty.</value>
    public IList<string> AllowedNetworks { get; } = [];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AllowedNetworks.Count; i++)
        {
            var entry = AllowedNetworks[i];
            var valid = entry.Contains('/', StringComparison.Ordinal)
                ? IPNetwork.TryParse(entry, out _)
                : !string.IsNullOrWhiteSpace(entry) && Uri.CheckHostName(entry.Trim()) != UriHostNameType.Unknown;
            if (!valid)
                yield return new ValidationResult($"Checks:AllowedNetworks:{i} ('{entry}') must be a network in CIDR form (10.0.0.0/8), an address or a host name.", [nameof(AllowedNetworks)]);
        }
    }
}
