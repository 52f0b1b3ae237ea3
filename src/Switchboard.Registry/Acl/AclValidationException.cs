namespace Switchboard.Registry.Acl;

/// <summary>One invalid field of an ACL request: <see cref="Field"/> is its path (<c>rules.service.orders.policy</c>, <c>name</c>).</summary>
/// <param name="Field">The path of the field.</param>
/// <param name="Message">The whole sentence, starting with the field (<c>rules.service.orders.policy must be read, write or deny</c>).</param>
public sealed record AclValidationError(string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>An ACL request (rules, policy, token) is invalid: the HTTP layer answers 400 with <see cref="Exception.Message"/>.</summary>
public sealed class AclValidationException : Exception
{
    /// <summary>Creates the exception for one or more invalid fields.</summary>
    public AclValidationException(IReadOnlyList<AclValidationError> errors)
        : base(string.Join("; ", (errors ?? throw new ArgumentNullException(nameof(errors))).Select(e => e.Message)))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for one invalid field.</summary>
    public AclValidationException(string field, string message)
        : this([new AclValidationError(field, message)])
    {
    }

    /// <summary>Every invalid field, in the order found.</summary>
    public IReadOnlyList<AclValidationError> Errors { get; }
}
