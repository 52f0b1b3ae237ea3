using Microsoft.Extensions.Options;
using Switchboard.Server.Consul;
using Switchboard.Server.Dns;
using Switchboard.Server.Limits;

namespace Switchboard.Server.DependencyInjection;

/// <summary>The data-annotation rules of <see cref="ConsulApiOptions"/>, checked by generated code rather than reflection.</summary>
[OptionsValidator]
internal sealed partial class ConsulApiOptionsValidator : IValidateOptions<ConsulApiOptions>
{
}

/// <summary>The data-annotation rules of <see cref="LimitsOptions"/>, generated.</summary>
[OptionsValidator]
internal sealed partial class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
}

/// <summary>The data-annotation and cross-field rules of <see cref="DnsInterfaceOptions"/>, generated.</summary>
[OptionsValidator]
internal sealed partial class DnsInterfaceOptionsValidator : IValidateOptions<DnsInterfaceOptions>
{
}
