using System.Net.Http.Headers;

namespace Switchboard.Cli.Commands;

internal sealed partial class RegistryApiClient
{
    /// <summary>Sends <paramref name="secret"/> with every request as <c>Authorization: Bearer</c> (both APIs accept it); null sends none.</summary>
    public RegistryApiClient WithToken(string? secret)
    {
        if (secret is not null)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return this;
    }
}
