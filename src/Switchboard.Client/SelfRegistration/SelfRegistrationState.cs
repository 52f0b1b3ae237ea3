namespace Switchboard.Client.SelfRegistration;

/// <summary>Where self-registration stands.</summary>
public enum SelfRegistrationState
{
    /// <summary>Registration is off (<c>Switchboard:Registration:Enabled</c> is false).</summary>
    Disabled = 0,

    /// <summary>Waiting for the application to start and bind its addresses.</summary>
    Starting = 1,

    /// <summary>Registered; heartbeats are being sent.</summary>
    Registered = 2,

    /// <summary>No registry answers; retrying with backoff (the application keeps running).</summary>
    RegistryUnreachable = 3,

    /// <summary>The registry or the local checks rejected the registration; see <see cref="ISelfRegistration.LastError"/>. Retried slowly.</summary>
    Rejected = 4,

    /// <summary>Deregistered on shutdown.</summary>
    Deregistered = 5,
}
