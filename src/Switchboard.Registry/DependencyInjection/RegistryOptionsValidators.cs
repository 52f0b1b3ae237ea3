using Microsoft.Extensions.Options;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.KeyValues;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.DependencyInjection;

/// <summary>The data-annotation rules of <see cref="RegistryOptions"/> (and its <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/> cross-field rules), checked by generated code rather than reflection.</summary>
[OptionsValidator]
internal sealed partial class RegistryOptionsValidator : IValidateOptions<RegistryOptions>
{
}

/// <summary>The data-annotation rules of <see cref="EmbeddedStoreOptions"/>, generated.</summary>
[OptionsValidator]
internal sealed partial class EmbeddedStoreOptionsValidator : IValidateOptions<EmbeddedStoreOptions>
{
}

/// <summary>The data-annotation rules of <see cref="AclOptions"/>, generated; <see cref="AclOptionsValidator"/> adds the rules between fields.</summary>
[OptionsValidator]
internal sealed partial class AclOptionsDataValidator : IValidateOptions<AclOptions>
{
}

/// <summary>The data-annotation rules of <see cref="KeyValueOptions"/>, generated.</summary>
[OptionsValidator]
internal sealed partial class KeyValueOptionsValidator : IValidateOptions<KeyValueOptions>
{
}
