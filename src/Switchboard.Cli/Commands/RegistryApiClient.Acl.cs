using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Switchboard.Cli.Commands.Acl;

namespace Switchboard.Cli.Commands;

/// <summary>The CLI's calls to the Consul-compatible ACL routes under <c>/v1/acl</c>.</summary>
internal sealed partial class RegistryApiClient
{
    private const string Acl = "/v1/acl";

    public Task<AclTokenView> BootstrapAsync(CancellationToken ct)
        => SendJsonAsync(HttpMethod.Put, $"{Acl}/bootstrap", null, CliAclJsonContext.Default.AclTokenView, ct);

    public Task<AclPolicyView> CreatePolicyAsync(AclPolicyCreate policy, CancellationToken ct)
        => SendJsonAsync(HttpMethod.Put, $"{Acl}/policy", JsonSerializer.Serialize(policy, CliAclJsonContext.Default.AclPolicyCreate), CliAclJsonContext.Default.AclPolicyView, ct);

    public Task<AclPolicyView[]> PoliciesAsync(CancellationToken ct)
        => GetAsync($"{Acl}/policies", CliAclJsonContext.Default.AclPolicyViewArray, ct);

    /// <summary>The policy by id (a GUID) or else by name.</summary>
    public Task<AclPolicyView> PolicyAsync(string idOrName, CancellationToken ct)
        => GetAsync(Guid.TryParse(idOrName, out _) ? $"{Acl}/policy/{Uri.EscapeDataString(idOrName)}" : $"{Acl}/policy/name/{Uri.EscapeDataString(idOrName)}",
            CliAclJsonContext.Default.AclPolicyView, ct);

    public Task DeletePolicyAsync(string id, CancellationToken ct)
        => SendJsonAsync(HttpMethod.Delete, $"{Acl}/policy/{Uri.EscapeDataString(id)}", null, CliAclJsonContext.Default.Boolean, ct);

    public Task<AclTokenView> CreateTokenAsync(AclTokenCreate token, CancellationToken ct)
        => SendJsonAsync(HttpMethod.Put, $"{Acl}/token", JsonSerializer.Serialize(token, CliAclJsonContext.Default.AclTokenCreate), CliAclJsonContext.Default.AclTokenView, ct);

    public Task<AclTokenView[]> TokensAsync(CancellationToken ct)
        => GetAsync($"{Acl}/tokens", CliAclJsonContext.Default.AclTokenViewArray, ct);

    public Task<AclTokenView> TokenAsync(string accessorId, CancellationToken ct)
        => GetAsync($"{Acl}/token/{Uri.EscapeDataString(accessorId)}", CliAclJsonContext.Default.AclTokenView, ct);

    public Task<AclTokenView> SelfAsync(CancellationToken ct)
        => GetAsync($"{Acl}/token/self", CliAclJsonContext.Default.AclTokenView, ct);

    public Task DeleteTokenAsync(string accessorId, CancellationToken ct)
        => SendJsonAsync(HttpMethod.Delete, $"{Acl}/token/{Uri.EscapeDataString(accessorId)}", null, CliAclJsonContext.Default.Boolean, ct);

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string path, string? body, JsonTypeInfo<T> type, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await SendAsync(request, ct);
        return await ReadAsync(response, type, ct);
    }
}
