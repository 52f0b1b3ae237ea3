using Microsoft.Extensions.Options;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests;

public sealed class SwitchboardOptionsTests
{
    private static OptionsValidationException Invalid(Dictionary<string, string?> config)
    {
        using var provider = ClientServices.Build(config);
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value);
    }

    [Fact]
    public void Validate_MalformedRegistryUrl_NamesTheKey()
    {
        var ex = Invalid(new() { ["Switchboard:Registries:0"] = "http://127.0.0.1:8500", ["Switchboard:Registries:1"] = "127.0.0.1:8500/x" });
        Assert.Contains("Switchboard:Registries:1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Switchboard:Registries:0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RegistrationOnWithoutRegistries_NamesTheKeys()
    {
        var ex = Invalid(new() { ["Switchboard:Registration:Enabled"] = "true", ["Switchboard:ServiceName"] = "gis-service" });
        Assert.Contains("Switchboard:Registries: is empty but Switchboard:Registration:Enabled is true", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownPolicy_NamesKeyAndKnownPolicies()
    {
        var ex = Invalid(new() { ["Switchboard:LoadBalancingPolicy"] = "fastest" });
        Assert.Contains("Switchboard:LoadBalancingPolicy: unknown policy 'fastest'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RoundRobin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadStaticUrl_NamesTheService()
    {
        var ex = Invalid(new() { ["Switchboard:Static:gis-service"] = "localhost:3007" });
        Assert.Contains("Switchboard:Static:gis-service: 'localhost:3007'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RegistrationWithoutServiceName_NamesTheKey()
    {
        var ex = Invalid(new() { ["Switchboard:Registries:0"] = "http://127.0.0.1:8500", ["Switchboard:Registration:Enabled"] = "true" });
        Assert.Contains("Switchboard:Registration:ServiceName: is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeDurationsAndBadFraction_NameEachKey()
    {
        var ex = Invalid(new()
        {
            ["Switchboard:Discovery:WatchWait"] = "-00:00:01",
            ["Switchboard:Registries:0"] = "http://127.0.0.1:8500",
            ["Switchboard:Registration:Enabled"] = "true",
            ["Switchboard:Registration:ServiceName"] = "a",
            ["Switchboard:Registration:HeartbeatFraction"] = "1.5",
        });
        Assert.Contains("Switchboard:Discovery:WatchWait", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Registration:HeartbeatFraction", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_FullConfiguration_ReadsEveryKey()
    {
        using var provider = ClientServices.Build(new Dictionary<string, string?>
        {
            ["Switchboard:Registries:0"] = "http://127.0.0.1:8500",
            ["Switchboard:Registries:1"] = "http://127.0.0.1:8501",
            ["Switchboard:ServiceName"] = "gravity-optimizer",
            ["Switchboard:LoadBalancingPolicy"] = "round_robin",
            ["Switchboard:Static:gis-service"] = "http://localhost:3007",
            ["Switchboard:Static:ros-service"] = "http://localhost:3047, http://localhost:3048",
            ["Switchboard:Dns:Enabled"] = "true",
            ["Switchboard:Dns:Suffix"] = "edge.svc.cluster.local",
            ["Switchboard:Registration:Enabled"] = "true",
            ["Switchboard:Registration:Tags:0"] = "optimization",
            ["Switchboard:Registration:Tags:1"] = "hydraulics",
            ["Switchboard:Registration:Metadata:zones"] = "6",
            ["Switchboard:Registration:Ttl"] = "00:05:00",
            ["Switchboard:Registration:HeartbeatFraction"] = "0.2",
        });
        var options = provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value;
        Assert.Equal(["http://127.0.0.1:8500", "http://127.0.0.1:8501"], options.Registries);
        Assert.Equal("http://localhost:3047, http://localhost:3048", options.Static["ros-service"]);
        Assert.True(options.Dns.Enabled);
        Assert.Equal("edge.svc.cluster.local", options.Dns.Suffix);
        Assert.Equal(["optimization", "hydraulics"], options.Registration.Tags);
        Assert.Equal("6", options.Registration.Metadata["zones"]);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Registration.HeartbeatInterval);
    }

    [Fact]
    public async Task StartHost_InvalidOptions_FailsAtStart()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Switchboard:Registries:0"] = "not a url" });
        builder.Services.AddSwitchboard();
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Switchboard:Registries:0: 'not a url'", ex.Message, StringComparison.Ordinal);
    }
}
