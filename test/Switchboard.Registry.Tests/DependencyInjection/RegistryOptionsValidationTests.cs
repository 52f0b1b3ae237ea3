using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.KeyValues;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.DependencyInjection;

/// <summary>The generated validators are wired: a value out of its range is refused, naming the setting.</summary>
public sealed class RegistryOptionsValidationTests
{
    private static ServiceProvider Build(string key, string value)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build());
        services.AddLogging();
        services.AddSwitchboardCatalog();
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData("Switchboard:Registry:MaxConcurrentChecks", "0", nameof(RegistryOptions.MaxConcurrentChecks))]
    [InlineData("Switchboard:Registry:SweepInterval", "00:05:00", nameof(RegistryOptions.SweepInterval))]
    [InlineData("Switchboard:Registry:MaxInstances", "0", nameof(RegistryOptions.MaxInstances))]
    public void RegistryOptions_OutOfRange_RefusedNamingTheSetting(string key, string value, string member)
    {
        using var provider = Build(key, value);
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RegistryOptions>>().Value);
        Assert.Contains(member, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmbeddedStoreOptions_CompactAfterTooFewRecords_Refused()
    {
        using var provider = Build("Switchboard:Store:Embedded:CompactAfterRecords", "5");
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EmbeddedStoreOptions>>().Value);
        Assert.Contains(nameof(EmbeddedStoreOptions.CompactAfterRecords), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/secrets/")]
    [InlineData("sec\u0001rets/")]
    public void KeyValueOptions_SecretsPrefixNoStoredKeyStartsWith_RefusedNamingTheSetting(string prefix)
    {
        using var provider = Build("Switchboard:KeyValues:SecretsPrefix", prefix);
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KeyValueOptions>>().Value);
        Assert.Contains("Switchboard:KeyValues:SecretsPrefix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegistryOptions_Defaults_AreValid()
    {
        using var provider = Build("Switchboard:Registry:MaxInstances", "1000");
        Assert.Equal(1000, provider.GetRequiredService<IOptions<RegistryOptions>>().Value.MaxInstances);
    }
}
