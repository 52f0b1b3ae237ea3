using Switchboard.Client.Discovery;

namespace Switchboard.Client.Tests.Discovery;

/// <summary>Seed 000's <c>{NAME}_SERVICE_URL</c> fallback, read from the real process environment (each test its own service name).</summary>
public sealed class ServiceUrlVariableTests
{
    [Theory]
    [InlineData("gis", "GIS_SERVICE_URL")]
    [InlineData("gis-service", "GIS_SERVICE_URL")]
    [InlineData("sensor-data", "SENSOR_DATA_SERVICE_URL")]
    [InlineData("service", "SERVICE_SERVICE_URL")]
    public void NameOf_MapsTheServiceName(string service, string variable) => Assert.Equal(variable, ServiceUrlVariables.NameOf(service));

    [Fact]
    public async Task Resolve_RegistryDownNoStatic_UsesTheEnvironmentVariable()
    {
        var service = Unique();
        using var _ = Variable(service, "http://127.0.0.1:3007/api");
        await using var h = new DiscoveryHarness();
        h.Registry.Fail("connection refused");
        var result = await h.Discovery.ResolveAsync(service, TestContext.Current.CancellationToken);
        Assert.Equal(DiscoverySource.Static, result.Source);
        Assert.Equal(new Uri("http://127.0.0.1:3007/api/"), result.HealthyEndpoints.Single().BaseUri);
        Assert.Contains(result.SourcesTried, s => s.Contains(ServiceUrlVariables.NameOf(service), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_StaticSettingAndVariable_TheSettingWins()
    {
        var service = Unique();
        using var _ = Variable(service, "http://127.0.0.1:4000");
        await using var h = new DiscoveryHarness(new() { [$"Switchboard:Static:{service}"] = "http://127.0.0.1:3007" });
        h.Registry.Fail("connection refused");
        var result = await h.Discovery.ResolveAsync(service, TestContext.Current.CancellationToken);
        Assert.Equal(3007, result.HealthyEndpoints.Single().BaseUri.Port);
    }

    [Fact]
    public async Task Resolve_VariableIsNotAUrl_IsSkippedAndSaidSo()
    {
        var service = Unique();
        using var _ = Variable(service, "not a url");
        await using var h = new DiscoveryHarness(new() { ["Switchboard:Dns:Enabled"] = "false" });
        h.Registry.Fail("connection refused");
        var ex = await Assert.ThrowsAnyAsync<ServiceUnavailableException>(() => h.Discovery.ResolveAsync(service, TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("holds no absolute http or https URL", ex.Message, StringComparison.Ordinal);
    }

    private static string Unique() => $"envfb-{Guid.NewGuid():N}"[..20] + "-service";

    private static VariableScope Variable(string service, string value) => new(ServiceUrlVariables.NameOf(service), value);

    private sealed class VariableScope : IDisposable
    {
        private readonly string _name;

        public VariableScope(string name, string value)
        {
            _name = name;
            Environment.SetEnvironmentVariable(name, value);
        }

        public void Dispose() => Environment.SetEnvironmentVariable(_name, null);
    }
}
