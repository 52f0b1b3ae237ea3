using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Registry.Hosting;

/// <summary>Configures the registry engine added by <c>AddSwitchboardCatalog()</c>.</summary>
public interface ISwitchboardRegistryBuilder
{
    /// <summary>The application's services.</summary>
    IServiceCollection Services { get; }
}

internal sealed class SwitchboardRegistryBuilder(IServiceCollection services) : ISwitchboardRegistryBuilder
{
    public IServiceCollection Services { get; } = services;
}
