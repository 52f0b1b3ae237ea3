namespace Switchboard.Client.Calls;

/// <summary>
/// The request id of the request being served, which outgoing calls carry on (request-id propagation). The core SDK
/// serves no requests; Switchboard.Client.AspNetCore provides it from the current HTTP request.
/// </summary>
internal interface IIncomingRequestId
{
    /// <summary>The incoming request's <c>X-Request-ID</c>, or null outside a request or when it has none.</summary>
    string? Current { get; }
}
