using System.Net.Http.Headers;

namespace Switchboard.Client.Security;

/// <summary>Sends the registry token on every registry request as <c>Authorization: Bearer</c> (a request that already has one keeps it).</summary>
internal sealed class RegistryTokenHandler(RegistryToken token) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null && token.Current is { } secret)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return base.SendAsync(request, cancellationToken);
    }
}
