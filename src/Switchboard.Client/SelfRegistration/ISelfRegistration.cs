using Switchboard.Registration;

namespace Switchboard.Client.SelfRegistration;

/// <summary>The state of this application's registration with the registry.</summary>
public interface ISelfRegistration
{
    /// <summary>Raised after every change of <see cref="State"/>.</summary>
    event EventHandler<SelfRegistrationState>? StateChanged;

    /// <summary>The current state.</summary>
    SelfRegistrationState State { get; }

    /// <summary>The instance id the registry gave; null before the first registration.</summary>
    string? InstanceId { get; }

    /// <summary>What is registered; null before the addresses are known.</summary>
    ServiceRegistration? Registration { get; }

    /// <summary>The last failure, when <see cref="State"/> is <see cref="SelfRegistrationState.RegistryUnreachable"/> or <see cref="SelfRegistrationState.Rejected"/>.</summary>
    string? LastError { get; }

    /// <summary>How many times the instance registered (the first time, and again after the registry forgot it).</summary>
    int Registrations { get; }
}
