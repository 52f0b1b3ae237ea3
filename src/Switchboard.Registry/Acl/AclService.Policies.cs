using System.Text.RegularExpressions;

namespace Switchboard.Registry.Acl;

public sealed partial class AclService
{
    /// <summary>A policy by id, or null.</summary>
    public AclPolicy? GetPolicy(string id) => _snapshot.PoliciesById.GetValueOrDefault(id);

    /// <summary>A policy by name, or null.</summary>
    public AclPolicy? GetPolicyByName(string name) => _snapshot.PoliciesByName.GetValueOrDefault(name);

    /// <summary>Every policy, by name.</summary>
    public IReadOnlyList<AclPolicy> ListPolicies() => [.. _snapshot.State.Policies.OrderBy(p => p.Name, StringComparer.Ordinal)];

    /// <summary>Creates a policy.</summary>
    /// <exception cref="AclValidationException">The name is invalid or taken, or the rules are invalid (each error names its field).</exception>
    public Task<AclPolicy> CreatePolicyAsync(AclPolicyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ChangeAsync((state, version, _) =>
        {
            ValidatePolicy(request, state, except: null);
            var policy = new AclPolicy
            {
                Id = Guid.NewGuid().ToString("D"),
                Name = request.Name,
                Description = request.Description ?? "",
                Rules = request.Rules ?? "",
                CreateIndex = version,
                ModifyIndex = version,
            };
            return (state with { Policies = [.. state.Policies, policy] }, policy);
        }, cancellationToken);
    }

    /// <summary>Replaces the name, description and rules of the policy <paramref name="id"/>; null when there is none.</summary>
    /// <exception cref="AclValidationException">The request is invalid, or renames or gives rules to <c>global-management</c>.</exception>
    public Task<AclPolicy?> UpdatePolicyAsync(string id, AclPolicyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(request);
        return ChangeAsync<AclPolicy?>((state, version, _) =>
        {
            if (state.Policies.FirstOrDefault(p => p.Id == id) is not { } old)
                return (state, null);
            if (old.IsGlobalManagement && (request.Name != old.Name || !string.IsNullOrEmpty(request.Rules)))
                throw new AclValidationException("name", $"the builtin {AclPolicy.GlobalManagementName} policy cannot be renamed or given rules");
            ValidatePolicy(request, state, except: id);
            var policy = old with { Name = request.Name, Description = request.Description ?? "", Rules = request.Rules ?? "", ModifyIndex = version };
            // Links carry the name too: keep them in step with a rename.
            var tokens = state.Tokens.Select(t => t.Token.Policies.Any(l => l.Id == id)
                ? t with { Token = t.Token with { Policies = [.. t.Token.Policies.Select(l => l.Id == id ? l with { Name = policy.Name } : l)] } }
                : t);
            return (state with { Policies = [.. state.Policies.Select(p => p.Id == id ? policy : p)], Tokens = [.. tokens] }, policy);
        }, cancellationToken);
    }

    /// <summary>Deletes the policy <paramref name="id"/>; tokens holding it lose what it granted. False when there was none.</summary>
    /// <exception cref="AclValidationException">It is <c>global-management</c>.</exception>
    public Task<bool> DeletePolicyAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ChangeAsync((state, _, _) =>
        {
            if (id == AclPolicy.GlobalManagementId)
                throw new AclValidationException("id", $"the builtin {AclPolicy.GlobalManagementName} policy cannot be deleted");
            if (!state.Policies.Any(p => p.Id == id))
                return (state, false);
            var tokens = state.Tokens.Select(t => t.Token.Policies.Any(l => l.Id == id)
                ? t with { Token = t.Token with { Policies = [.. t.Token.Policies.Where(l => l.Id != id)] } }
                : t);
            return (state with { Policies = [.. state.Policies.Where(p => p.Id != id)], Tokens = [.. tokens] }, true);
        }, cancellationToken);
    }

    private static void ValidatePolicy(AclPolicyRequest request, AclState state, string? except)
    {
        var errors = new List<AclValidationError>();
        if (request.Name is null || !PolicyName().IsMatch(request.Name))
            errors.Add(new("name", "name must be 1 to 128 letters, digits, '-' or '_' (as Consul's policy names)"));
        else if (state.Policies.Any(p => p.Name == request.Name && p.Id != except))
            errors.Add(new("name", $"name: a policy named {AclMessages.Quote(request.Name)} already exists"));
        if (!AclRulesParser.TryParse(request.Rules, out _, out var ruleErrors))
            errors.AddRange(ruleErrors);
        if (errors.Count > 0)
            throw new AclValidationException(errors);
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex PolicyName();
}
