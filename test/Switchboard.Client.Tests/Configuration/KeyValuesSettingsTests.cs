using Switchboard.Client.Configuration;

namespace Switchboard.Client.Tests.Configuration;

/// <summary>The provider's settings come from the configuration being built (the SDK's own keys), then the callback; bad ones stop the build with the key named.</summary>
public sealed class KeyValuesSettingsTests
{
    private static IConfiguration Config(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void RegistriesTokenAndTls_ReadFromTheSwitchboardSection_ThenTheCallback()
    {
        var options = KeyValuesSettings.Resolve(Config(new()
        {
            ["Switchboard:Registries:0"] = "http://127.0.0.1:1",
            ["Switchboard:Registries:1"] = "http://127.0.0.1:2",
            ["Switchboard:Token"] = "secret-token",
        }), "app/", o => o.StartupTimeout = TimeSpan.FromSeconds(2));

        Assert.Equal(["http://127.0.0.1:1", "http://127.0.0.1:2"], options.Registries);
        Assert.Equal("secret-token", options.Token);
        Assert.Equal(TimeSpan.FromSeconds(2), options.StartupTimeout);
        Assert.True(options.Optional);
        Assert.False(options.ExpandJson);
        Assert.Equal(SwitchboardKeyValuesOptions.DefaultStartupTimeout, new SwitchboardKeyValuesOptions().StartupTimeout);
    }

    [Fact]
    public void NoRegistry_FailsNamingTheKey()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => KeyValuesSettings.Resolve(Config([]), "app/", null));
        Assert.Contains("Switchboard:Registries is empty", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"app/\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadValues_EachNamed_SecretNeverShown()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => KeyValuesSettings.Resolve(Config(new()
        {
            ["Switchboard:Registries:0"] = "ftp://x",
            ["Switchboard:Token"] = "has space-secret",
            ["Switchboard:Tls:ClientCertificateFile"] = "/nowhere.pem",
        }), "app/", o => o.WaitTime = TimeSpan.FromMinutes(11)));

        Assert.Contains("Switchboard:Registries:0: 'ftp://x'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WaitTime", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Tls:ClientKeyFile", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("space-secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurationManager_SettingsAddedBefore_AreUsed()
    {
        using var manager = new ConfigurationManager();
        manager.AddInMemoryCollection(new Dictionary<string, string?> { ["Switchboard:Registries:0"] = "http://127.0.0.1:1" });

        // Registry unreachable, optional, no wait: the build returns at once and the source is in place.
        manager.AddSwitchboardKeyValues("app/", o => o.StartupTimeout = TimeSpan.Zero);

        Assert.Contains(manager.Sources, s => s is SwitchboardKeyValuesSource { Prefix: "app/" });
    }
}
