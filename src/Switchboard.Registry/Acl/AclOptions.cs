using System.ComponentModel.DataAnnotations;

namespace Switchboard.Registry.Acl;

/// <summary>Settings of the ACL system, bound from <c>Switchboard:Acl</c>.</summary>
public sealed class AclOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:Acl";

    /// <summary>Whether ACLs are enforced. Off, every request is allowed and the ACL state is not even loaded.</summary>
    /// <value>The default value is false.</value>
    public bool Enabled { get; set; }

    /// <summary>What a request may do when no rule of its token matches: <c>allow</c> or <c>deny</c>.</summary>
    /// <value>The default value is <c>allow</c> (as Consul's); production setups want <c>deny</c>.</value>
    [Required]
    [RegularExpression("^(allow|deny)$", ErrorMessage = "Switchboard:Acl:DefaultPolicy must be allow or deny")]
    public string DefaultPolicy { get; set; } = "allow";

    /// <summary>The policies (names or ids) of the anonymous token, used by requests that carry no token.</summary>
    /// <value>The default value is empty: anonymous requests get the default policy only.</value>
    public IList<string> AnonymousPolicies { get; } = [];

    /// <summary>
    /// A management token's secret (a GUID) created at start when no token has it (Consul's <c>acl.tokens.initial_management</c>):
    /// the first start bootstraps with it, so a deployment can be provisioned without calling bootstrap. Keep it out of
    /// files others can read (an environment variable or a secret store).
    /// </summary>
    /// <value>The default value is null: bootstrap by hand (<c>switchboard acl bootstrap</c>).</value>
    public string? InitialManagementToken { get; set; }

    /// <summary>The shortest <c>ExpirationTTL</c> a token may be given.</summary>
    /// <value>The default value is 1 minute (Consul's).</value>
    public TimeSpan TokenMinExpirationTtl { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest <c>ExpirationTTL</c> a token may be given.</summary>
    /// <value>The default value is 24 hours (Consul's).</value>
    public TimeSpan TokenMaxExpirationTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The access that <see cref="DefaultPolicy"/> grants.</summary>
    internal AclAccess DefaultAccess => DefaultPolicy == "deny" ? AclAccess.Deny : AclAccess.Write;
}
