using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Switchboard.Server.Acl;

/// <summary>
/// The ACL secret a request carries, where Consul looks for it: the <c>X-Consul-Token</c> header, then
/// <c>Authorization: Bearer</c>, then the <c>?token=</c> query parameter (Consul's oldest form, kept for its clients).
/// </summary>
internal static class RequestToken
{
    /// <summary>The header Consul clients send the token in.</summary>
    public const string ConsulHeader = "X-Consul-Token";

    private const string Bearer = "Bearer ";

    /// <summary>The secret of <paramref name="request"/>, or null when it carries none (the anonymous token applies).</summary>
    public static string? Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (NonEmpty(request.Headers[ConsulHeader]) is { } header)
            return header;
        if (NonEmpty(request.Headers.Authorization) is { } authorization
            && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
            return authorization[Bearer.Length..].Trim() is { Length: > 0 } bearer ? bearer : null;
        return request.QueryString.HasValue ? NonEmpty(request.Query["token"]) : null;
    }

    private static string? NonEmpty(StringValues values) => values.Count > 0 && values[0] is { Length: > 0 } value ? value.Trim() : null;
}
