using Microsoft.Extensions.Options;

namespace Switchboard.Registry.Acl;

/// <summary>Checks what the data annotations of <see cref="AclOptions"/> cannot: the expiry bounds and the anonymous policy names.</summary>
internal sealed class AclOptionsValidator : IValidateOptions<AclOptions>
{
    public ValidateOptionsResult Validate(string? name, AclOptions options)
    {
        var failures = new List<string>();
        if (options.TokenMinExpirationTtl <= TimeSpan.Zero)
            failures.Add($"{AclOptions.SectionName}:TokenMinExpirationTtl must be positive.");
        if (options.TokenMaxExpirationTtl < options.TokenMinExpirationTtl)
            failures.Add($"{AclOptions.SectionName}:TokenMaxExpirationTtl must not be shorter than TokenMinExpirationTtl.");
        for (var i = 0; i < options.AnonymousPolicies.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.AnonymousPolicies[i]))
                failures.Add($"{AclOptions.SectionName}:AnonymousPolicies:{i} is empty (give a policy name or id).");
        }
        if (options.InitialManagementToken is { } initial && !Guid.TryParse(initial, out _))
            failures.Add($"{AclOptions.SectionName}:InitialManagementToken must be a GUID (the form of every secret).");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
