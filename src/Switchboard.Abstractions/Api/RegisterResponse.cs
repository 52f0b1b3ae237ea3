namespace Switchboard.Api;

/// <summary>The answer to a registration.</summary>
/// <param name="InstanceId">The instance's id (derived when the request named none).</param>
/// <param name="ServiceName">The service's name.</param>
/// <param name="Created">True when the instance is new, false when an existing registration was replaced.</param>
/// <param name="Index">The catalog index after the registration.</param>
public sealed record RegisterResponse(string InstanceId, string ServiceName, bool Created, long Index);
