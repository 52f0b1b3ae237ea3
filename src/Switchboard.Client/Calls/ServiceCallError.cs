using System.Net;

namespace Switchboard.Client.Calls;

/// <summary>What the global error handlers receive about a failed call.</summary>
/// <param name="ServiceName">The service.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query.</param>
/// <param name="Exception">The typed failure.</param>
/// <param name="StatusCode">The last HTTP status, when there was one.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="RequestId">The call's X-Request-ID.</param>
public sealed record ServiceCallError(string ServiceName, string Method, string Path, Exception Exception, HttpStatusCode? StatusCode, int Attempts, string? RequestId);
