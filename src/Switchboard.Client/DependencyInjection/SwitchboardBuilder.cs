namespace Microsoft.Extensions.DependencyInjection;

internal sealed class SwitchboardBuilder(IServiceCollection services) : ISwitchboardBuilder
{
    public IServiceCollection Services { get; } = services;
}
