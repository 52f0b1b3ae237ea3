using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Switchboard.Aspire.Tests;

/// <summary>The resources AddSwitchboard and WithReference put in the model, and the arguments and environment they produce.</summary>
public sealed class ResourceModelTests
{
    [Fact]
    public async Task The_agent_runs_in_memory_on_its_endpoint_with_DNS_off_and_a_health_check_on_health()
    {
        var builder = AspireAppHost.CreateBuilder();
        var registry = builder.AddSwitchboard("registry", port: 18500);

        var endpoint = Assert.Single(registry.Resource.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(SwitchboardResource.HttpEndpointName, endpoint.Name);
        Assert.Equal("http", endpoint.UriScheme);
        Assert.Equal(18500, endpoint.Port);
        Assert.Equal("switchboard", registry.Resource.Command);
        Assert.Single(registry.Resource.Annotations.OfType<HealthCheckAnnotation>());

        Allocate(endpoint, 18500, 41234);
        var args = await ArgumentsAsync(registry.Resource);
        Assert.Equal(["agent", "--bind", "127.0.0.1", "--port", "41234", "--dns-port", "0", "--dev"], args);
    }

    [Fact]
    public async Task WithDataDirectory_persists_there_and_WithAgentPath_runs_a_built_agent_with_dotnet()
    {
        var builder = AspireAppHost.CreateBuilder();
        var data = Path.Combine(Path.GetTempPath(), "switchboard-aspire-data");
        var registry = builder.AddSwitchboard("registry").WithDataDirectory(data).WithAgentPath(RepositoryPaths.AgentDll);

        Assert.Equal("dotnet", registry.Resource.Command);
        Assert.Equal(data, registry.Resource.DataDirectory);
        Allocate(Assert.Single(registry.Resource.Annotations.OfType<EndpointAnnotation>()), 40001, 40002);
        var args = await ArgumentsAsync(registry.Resource);
        Assert.Equal([RepositoryPaths.AgentDll, "agent", "--bind", "127.0.0.1", "--port", "40002", "--dns-port", "0", "--data-dir", data], args);
    }

    [Fact]
    public async Task WithReference_gives_a_project_the_registry_URL_as_Switchboard_Registries_0_and_a_second_registry_as_1()
    {
        var builder = AspireAppHost.CreateBuilder();
        var first = builder.AddSwitchboard("registry");
        var second = builder.AddSwitchboard("registry-b");
        var service = builder.AddExecutable("orders", "dotnet", ".", "orders.dll").WithReference(first).WithReference(second).WithReference(first);

        Allocate(Assert.Single(first.Resource.Annotations.OfType<EndpointAnnotation>()), 40101, 40102);
        Allocate(Assert.Single(second.Resource.Annotations.OfType<EndpointAnnotation>()), 40201, 40202);
        var environment = await EnvironmentAsync(service.Resource);

        Assert.Equal("http://localhost:40101", environment["Switchboard__Registries__0"]);
        Assert.Equal("http://localhost:40201", environment["Switchboard__Registries__1"]);
        Assert.False(environment.ContainsKey("Switchboard__Registries__2"));
        Assert.Equal("http://localhost:40101", environment["services__registry__http__0"]);
        Assert.Contains(service.Resource.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource == first.Resource);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-1)]
    public void A_bad_port_fails_the_AppHost_with_the_port_named(int port)
    {
        var builder = AspireAppHost.CreateBuilder();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddSwitchboard("registry", port));
        Assert.Equal("port", error.ParamName);
        Assert.Contains("between 1 and 65535", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad_name")]
    [InlineData("-registry")]
    [InlineData("registry--a")]
    public void An_invalid_resource_name_fails_the_AppHost_with_the_name_in_the_message(string name)
    {
        var builder = AspireAppHost.CreateBuilder();
        var error = Assert.ThrowsAny<ArgumentException>(() => builder.AddSwitchboard(name));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_agent_or_an_empty_data_directory_fails_the_AppHost_naming_the_setting()
    {
        var builder = AspireAppHost.CreateBuilder();
        var registry = builder.AddSwitchboard("registry");

        var missing = Assert.Throws<FileNotFoundException>(() => registry.WithAgentPath("/nonexistent/switchboard.dll"));
        Assert.Contains("WithAgentPath on 'registry'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/switchboard.dll", missing.Message, StringComparison.Ordinal);

        var empty = Assert.Throws<ArgumentException>(() => registry.WithDataDirectory(" "));
        Assert.Contains("WithDataDirectory on 'registry'", empty.Message, StringComparison.Ordinal);
    }

    private static void Allocate(EndpointAnnotation endpoint, int port, int targetPort)
    {
        endpoint.TargetPort = targetPort;
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port);
    }

    // The obsolete evaluators are the short way to read what an executable gets; ExecutionConfigurationBuilder is their
    // replacement but needs the run's services. They run the same callbacks and value providers the orchestrator does.
#pragma warning disable CS0618
    private static async Task<Dictionary<string, string>> EnvironmentAsync(IResourceWithEnvironment resource) =>
        await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);

    private static async Task<string[]> ArgumentsAsync(IResourceWithArgs resource) =>
        await resource.GetArgumentValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
}
