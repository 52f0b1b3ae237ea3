using Switchboard.Api;
using Switchboard.Client.RegistryApi;
using Switchboard.Registration;

namespace Switchboard.Client.SelfRegistration;

/// <summary>Registers services that do not run the SDK themselves (seed 003 <c>register_external_service</c>).</summary>
public static class ExternalServiceRegistration
{
    /// <summary>
    /// Registers an external service (a payment provider, a database proxy): no lease, so it stays until deregistered;
    /// give it an HTTP or TCP check so the registry still notices when it is down.
    /// </summary>
    /// <param name="registry">The registry client.</param>
    /// <param name="registration">The registration; its <see cref="ServiceRegistration.Ttl"/> is forced to zero (no lease) when empty.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registry's answer.</returns>
    /// <exception cref="ArgumentException">The registration is invalid; the message names each bad field.</exception>
    public static Task<RegisterResponse> RegisterExternalServiceAsync(this ISwitchboardRegistryClient registry, ServiceRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(registration);
        var external = registration.Ttl is null ? registration with { Ttl = TimeSpan.Zero } : registration;
        var errors = RegistrationValidator.Validate(external, null, out _);
        if (errors.Count > 0)
            throw new ArgumentException($"Invalid external service registration: {string.Join(" ", errors.SelectMany(e => e.Value))}", nameof(registration));
        return registry.RegisterAsync(external, cancellationToken);
    }
}
