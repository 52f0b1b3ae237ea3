using Microsoft.Extensions.Options;
using Switchboard.KeyValues;

namespace Switchboard.Registry.KeyValues;

/// <summary>
/// <c>Switchboard:KeyValues:SecretsPrefix</c> must be a key prefix as stored (keys lose a leading <c>/</c>): a prefix that no
/// stored key can start with would leave every secret unprotected without a word.
/// </summary>
internal sealed class KeyValueSecretsPrefixValidator : IValidateOptions<KeyValueOptions>
{
    private const string Setting = KeyValueOptions.SectionName + ":" + nameof(KeyValueOptions.SecretsPrefix);

    public ValidateOptionsResult Validate(string? name, KeyValueOptions options)
    {
        var prefix = options.SecretsPrefix ?? "";
        if (KeyValueKeys.ValidatePrefix(prefix, Setting, out var stored) is { } problem)
            return ValidateOptionsResult.Fail(problem);
        return stored == prefix
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{Setting}: '{prefix}' is not a key prefix as keys are stored; use '{stored}'.");
    }
}
