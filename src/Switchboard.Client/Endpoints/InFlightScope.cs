namespace Switchboard.Client.Endpoints;

/// <summary>One request in flight to an <see cref="InstanceEndpoint"/>; dispose it when the request ends.</summary>
/// <remarks>A struct, so counting a request allocates nothing. Dispose it exactly once.</remarks>
public readonly struct InFlightScope : IDisposable
{
    private readonly InstanceEndpoint? _endpoint;

    internal InFlightScope(InstanceEndpoint endpoint) => _endpoint = endpoint;

    /// <summary>Ends the request.</summary>
    public void Dispose() => _endpoint?.EndRequest();
}
