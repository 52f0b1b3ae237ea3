using Switchboard.Client.Discovery;
using Switchboard.Client.LoadBalancing;
using Switchboard.Client.SelfRegistration;
using Switchboard.Client.Resilience;
using Switchboard.Client.Security;

namespace Switchboard.Client;

/// <summary>The client's options, bound from the configuration section <c>Switchboard</c>.</summary>
/// <remarks>Validated at start; a bad value fails the host with a message naming its configuration key.</remarks>
public sealed class SwitchboardOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Switchboard";

    /// <summary>
    /// The registry base URLs (<c>Switchboard:Registries:0</c>, <c>:1</c>, ...). The client uses the first that answers
    /// and fails over to the next when one is unreachable. Empty: no registry; discovery uses static URLs and DNS only.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IList<string> Registries { get; } = [];

    /// <summary>This application's service name: sent as <c>X-Service-Name</c> on calls, and the default name it registers under.</summary>
    /// <value>The default value is null.</value>
    public string? ServiceName { get; set; }

    /// <summary>The load-balancing policy of services that name none (see <see cref="LoadBalancingPolicies"/>).</summary>
    /// <value>The default value is <see cref="LoadBalancingPolicies.PowerOfTwoChoices"/>.</value>
    public string LoadBalancingPolicy { get; set; } = LoadBalancingPolicies.Default;

    /// <summary>Static base URLs by service name, the fallback when the registry has none (<c>Switchboard:Static:gis-service = http://localhost:3007</c>); several URLs separated by commas or semicolons.</summary>
    /// <value>The default value is empty.</value>
    public IDictionary<string, string> Static { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The ACL token sent to the registry on every request (<c>Authorization: Bearer</c>): self-registration, heartbeats and
    /// discovery. A secret: never logged. Not together with <see cref="TokenFile"/>.
    /// </summary>
    /// <value>The default value is null: requests carry no token (the registry's anonymous token).</value>
    public string? Token { get; set; }

    /// <summary>
    /// A file holding the registry token (surrounding whitespace ignored), read again whenever it changes on disk, so a
    /// rotated token needs no restart. Not together with <see cref="Token"/>.
    /// </summary>
    /// <value>The default value is null.</value>
    public string? TokenFile { get; set; }

    /// <summary>TLS for the registry connection: a CA to trust and a client certificate (<c>Switchboard:Tls</c>).</summary>
    public RegistryTlsOptions Tls { get; } = new();

    /// <summary>Discovery and endpoint-cache settings (<c>Switchboard:Discovery</c>).</summary>
    public DiscoveryOptions Discovery { get; } = new();

    /// <summary>DNS fallback settings (<c>Switchboard:Dns</c>).</summary>
    public DnsOptions Dns { get; } = new();

    /// <summary>Self-registration settings (<c>Switchboard:Registration</c>).</summary>
    public RegistrationOptions Registration { get; } = new();

    /// <summary>Call settings for every service (<c>Switchboard:Defaults</c>).</summary>
    public ServiceOptions Defaults { get; } = new();

    /// <summary>Call settings per service (<c>Switchboard:Services:{name}</c>), over <see cref="Defaults"/>.</summary>
    /// <value>The default value is empty.</value>
    public IDictionary<string, ServiceOptions> Services { get; } = new Dictionary<string, ServiceOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The options in effect for calls to <paramref name="serviceName"/>.</summary>
    /// <param name="serviceName">The service.</param>
    /// <returns>Built-in defaults, then <see cref="Defaults"/>, then the tier preset, then the service's own settings.</returns>
    public EffectiveServiceOptions ForService(string serviceName) =>
        ServiceTiers.Resolve(serviceName, LoadBalancingPolicy, Defaults, Services.TryGetValue(serviceName, out var own) ? own : null);
}
