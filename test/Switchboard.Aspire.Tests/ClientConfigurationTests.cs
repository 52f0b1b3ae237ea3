using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Switchboard.Client;

namespace Switchboard.Aspire.Tests;

/// <summary>AddSwitchboardClient: what a service does with the setting an AppHost's WithReference gives it.</summary>
public sealed class ClientConfigurationTests
{
    [Fact]
    public async Task A_service_without_a_registry_fails_at_start_naming_Switchboard_Registries()
    {
        await using var app = Build(new Dictionary<string, string?>());
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Switchboard:Registries: no registry is configured", error.Message, StringComparison.Ordinal);
        Assert.Contains("Switchboard__Registries__0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_registry_URL_fails_at_start_naming_its_key()
    {
        await using var app = Build(new Dictionary<string, string?> { ["Switchboard:Registries:0"] = "not a url" });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Switchboard:Registries:0: 'not a url' is not an absolute http or https URL.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_registry_from_the_environment_variable_the_AppHost_sets_reaches_the_SDK()
    {
        await using var app = Build(new Dictionary<string, string?> { ["Switchboard:Registries:0"] = "http://127.0.0.1:18500" });
        await app.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["http://127.0.0.1:18500"], app.Services.GetRequiredService<IOptions<SwitchboardOptions>>().Value.Registries);
        await app.StopAsync(TestContext.Current.CancellationToken);
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddSwitchboardClient();
        return builder.Build();
    }
}
