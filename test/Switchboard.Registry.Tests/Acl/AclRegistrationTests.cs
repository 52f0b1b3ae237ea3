using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Acl;

namespace Switchboard.Registry.Tests.Acl;

/// <summary>The ACL engine in the service collection: off by default, bound from <c>Switchboard:Acl</c>, its store following the store choice.</summary>
public sealed class AclRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<Hosting.ISwitchboardRegistryBuilder>? store = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        var builder = services.AddSwitchboardCatalog();
        store?.Invoke(builder);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Off_by_default_with_the_embedded_store()
    {
        using var provider = Build([]);
        var acl = provider.GetRequiredService<AclService>();
        Assert.False(acl.Enabled);
        Assert.Same(Authorizer.AllowAll, acl.Resolve("whatever"));
        Assert.IsType<EmbeddedAclStore>(provider.GetRequiredService<IAclStore>());
    }

    [Fact]
    public async Task Bound_from_configuration_and_in_memory_with_the_memory_store()
    {
        await using var provider = Build(new()
        {
            ["Switchboard:Acl:Enabled"] = "true",
            ["Switchboard:Acl:DefaultPolicy"] = "deny",
            ["Switchboard:Acl:AnonymousPolicies:0"] = "public",
        }, b => b.UseInMemoryStore());
        var options = provider.GetRequiredService<IOptions<AclOptions>>().Value;
        Assert.True(options.Enabled);
        Assert.Equal("deny", options.DefaultPolicy);
        Assert.Equal(["public"], options.AnonymousPolicies);
        Assert.IsType<InMemoryAclStore>(provider.GetRequiredService<IAclStore>());
        var acl = provider.GetRequiredService<AclService>();
        await acl.LoadAsync(TestContext.Current.CancellationToken);
        Assert.False(acl.Resolve(null).ServiceRead("x").IsAllowed);
    }

    [Theory]
    [InlineData("Switchboard:Acl:DefaultPolicy", "maybe", "DefaultPolicy must be allow or deny")]
    [InlineData("Switchboard:Acl:TokenMaxExpirationTtl", "00:00:10", "TokenMaxExpirationTtl must not be shorter")]
    [InlineData("Switchboard:Acl:AnonymousPolicies:0", " ", "AnonymousPolicies:0 is empty")]
    public void Invalid_settings_are_refused(string key, string value, string message)
    {
        using var provider = Build(new() { [key] = value });
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AclOptions>>().Value);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
