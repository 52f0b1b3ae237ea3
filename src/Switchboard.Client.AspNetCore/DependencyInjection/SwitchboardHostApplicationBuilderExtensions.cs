using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Client;

namespace Microsoft.Extensions.Hosting;

/// <summary>Switchboard in a service that an Aspire AppHost (or any host) gives a registry through configuration.</summary>
public static class SwitchboardHostApplicationBuilderExtensions
{
    /// <summary>
    /// Adds Switchboard as <c>AddSwitchboard</c> does (the client, self-registration, health checks, request ids), bound
    /// from the host's <c>Switchboard</c> section, and requires a registry: <c>Switchboard:Registries:0</c>, which an
    /// AppHost's <c>WithReference(registry)</c> sets as <c>Switchboard__Registries__0</c>. A missing registry or any
    /// invalid setting stops the host at start with the configuration key named.
    /// </summary>
    /// <param name="builder">The host's builder.</param>
    /// <param name="configure">Adjusts the options after configuration is bound.</param>
    /// <returns>A builder for further Switchboard registrations.</returns>
    public static ISwitchboardBuilder AddSwitchboardClient(this IHostApplicationBuilder builder, Action<SwitchboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var switchboard = builder.Services.AddSwitchboard(configure);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SwitchboardOptions>, RegistryRequiredValidator>());
        return switchboard;
    }

    /// <summary>Fails start-up when no registry is configured: a referenced registry that did not arrive is a wiring mistake.</summary>
    private sealed class RegistryRequiredValidator : IValidateOptions<SwitchboardOptions>
    {
        public ValidateOptionsResult Validate(string? name, SwitchboardOptions options) =>
            options.Registries.Count > 0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"{SwitchboardOptions.SectionName}:Registries: no registry is configured. AddSwitchboardClient needs " +
                    $"{SwitchboardOptions.SectionName}:Registries:0 (environment {SwitchboardOptions.SectionName}__Registries__0): " +
                    "reference the registry in the AppHost (.WithReference(registry)) or set it.");
    }
}
