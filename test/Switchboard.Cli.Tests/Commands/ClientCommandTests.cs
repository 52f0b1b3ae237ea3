using System.Diagnostics;
using System.Text.Json;

namespace Switchboard.Cli.Tests.Commands;

public sealed class ClientCommandTests
{
    private static async Task<ProcessResult> Sb(ServiceProcess agent, params string[] args)
        => await ProcessRunner.RunCliAsync([.. args, "--registry", agent.BaseUri.ToString()]);

    [Fact]
    public async Task RegisterListDiscoverHealthDeregister_EndToEnd()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");

        var registered = await Sb(agent, "register", "--name", "user-service", "--host", "10.1.2.3", "--port", "8080",
            "--path", "/api/v1", "--tag", "api", "--tag", "web", "--meta", "environment=production", "--version", "1.0.0", "--ttl", "0");
        Assert.Equal(0, registered.ExitCode);
        Assert.Contains("registered user-service-10.1.2.3-8080", registered.Stdout, StringComparison.Ordinal);

        var services = await Sb(agent, "services", "--json");
        var list = JsonDocument.Parse(services.Stdout).RootElement;
        Assert.Equal("user-service", list.GetProperty("services")[0].GetProperty("service_name").GetString());

        var table = await Sb(agent, "services");
        Assert.Contains("user-service", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("api,web", table.Stdout, StringComparison.Ordinal);

        var instances = await Sb(agent, "instances", "user-service", "--tag", "web", "--json");
        Assert.Equal("1.0.0", JsonDocument.Parse(instances.Stdout).RootElement[0].GetProperty("version").GetString());

        var discover = await Sb(agent, "discover", "user-service");
        Assert.StartsWith("http://10.1.2.3:8080/api/v1", discover.Stdout, StringComparison.Ordinal);

        var health = await Sb(agent, "health");
        Assert.Contains("overall: healthy (1 of 1 services healthy)", health.Stdout, StringComparison.Ordinal);

        var heartbeat = await Sb(agent, "heartbeat", "user-service-10.1.2.3-8080", "--status", "warning");
        Assert.Equal(0, heartbeat.ExitCode);
        Assert.Contains("warning", heartbeat.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, (await Sb(agent, "deregister", "user-service-10.1.2.3-8080")).ExitCode);
        var missing = await Sb(agent, "discover", "user-service");
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal("switchboard: not found: Service 'user-service' is not registered.", missing.Stderr.Trim());
    }

    [Fact]
    public async Task ControlCharactersFromTheRegistry_ArePrintedEscaped_NeverRaw()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");
        using var http = new HttpClient { BaseAddress = agent.BaseUri };
        Assert.Equal(0, (await Sb(agent, "register", "--name", "orders", "--host", "10.1.2.3", "--port", "8080", "--ttl", "0")).ExitCode);
        using (var beat = await http.PutAsync("/service-discovery/instances/orders-10.1.2.3-8080/heartbeat",
            new StringContent("{\"status\":\"warning\",\"output\":\"\\u001b]0;pwned\\u0007\\u001b[2Jcleared \\u202eevil\"}", System.Text.Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken))
            Assert.True(beat.IsSuccessStatusCode);

        var table = await Sb(agent, "instances", "orders");

        Assert.Equal(0, table.ExitCode);
        Assert.DoesNotContain('\u001b', table.Stdout);
        Assert.DoesNotContain('\u0007', table.Stdout);
        Assert.DoesNotContain('\u202e', table.Stdout);
        Assert.Contains("\\x1b]0;pwned", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_PrintsNewInstanceAsItRegisters()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { RepositoryPaths.AgentDll, "watch", "orders", "--registry", agent.BaseUri.ToString() })
            info.ArgumentList.Add(a);
        using var watch = Process.Start(info)!;
        try
        {
            var first = await watch.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
            Assert.Contains("orders: 0 instance(s)", first, StringComparison.Ordinal);

            Assert.Equal(0, (await Sb(agent, "register", "--name", "orders", "--host", "10.0.0.9", "--port", "81")).ExitCode);

            var change = await watch.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Contains("+ orders-10.0.0.9-81 http://10.0.0.9:81 passing", change, StringComparison.Ordinal);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
            await watch.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task FirstHourMistakes_AnswerWithWhatToDo()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");
        var hostPort = $"{agent.BaseUri.Host}:{agent.BaseUri.Port}";
        // --registry as host:port; the version in metadata (seed 001's body) is the version.
        Assert.Equal(0, (await ProcessRunner.RunCliAsync("register", "--name", "orders", "--host", "10.0.0.9", "--port", "81", "--meta", "version=1.0.0", "--registry", hostPort)).ExitCode);
        var byVersion = await Sb(agent, "instances", "orders", "--version", "1.0.0");
        Assert.Contains("orders-10.0.0.9-81", byVersion.Stdout, StringComparison.Ordinal);
        Assert.Contains("1.0.0", (await Sb(agent, "services")).Stdout, StringComparison.Ordinal);

        var typo = await Sb(agent, "instances", "ordres");
        Assert.Equal(1, typo.ExitCode);
        Assert.Equal("switchboard: no service named 'ordres' is registered; did you mean 'orders'? (see 'switchboard services')", typo.Stderr.Trim());

        var unknown = await Sb(agent, "deregister", "orders-10.0.0.9-82");
        Assert.Equal(1, unknown.ExitCode);
        Assert.StartsWith("switchboard: no instance 'orders-10.0.0.9-82' is registered: nothing to deregister", unknown.Stderr.Trim(), StringComparison.Ordinal);

        var bare = await ProcessRunner.RunCliAsync();
        Assert.Equal(2, bare.ExitCode);
        Assert.Contains("Usage:", bare.Stdout, StringComparison.Ordinal);
        Assert.Contains("instances", bare.Stdout, StringComparison.Ordinal);
        Assert.Empty(bare.Stderr.Trim());
    }

    [Fact]
    public async Task Watch_CtrlCWhileTheRegistryIsUnreachable_Exit130WithoutATrace()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { RepositoryPaths.AgentDll, "watch", "orders", "--registry", "127.0.0.1:1" })
            info.ArgumentList.Add(a);
        using var watch = Process.Start(info)!;
        try
        {
            var first = await watch.StandardError.ReadLineAsync(TestContext.Current.CancellationToken);
            Assert.EndsWith("(retrying)", first, StringComparison.Ordinal);
            Assert.Equal(0, (await ProcessRunner.RunAsync("kill", "-INT", watch.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))).ExitCode);
            var rest = await watch.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            await watch.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            Assert.Equal(130, watch.ExitCode);
            Assert.DoesNotContain("   at ", rest, StringComparison.Ordinal);
        }
        finally
        {
            if (!watch.HasExited)
                watch.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task UnreachableRegistry_ExitOneWithOneLine()
    {
        var result = await ProcessRunner.RunCliAsync("services", "--registry", "http://127.0.0.1:1");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("switchboard: cannot reach the registry at http://127.0.0.1:1/", result.Stderr.Trim(), StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(new[] { "register", "--name", "x", "--host", "h", "--port", "99999" }, "port must be between 1 and 65535")]
    [InlineData(new[] { "register", "--name", "Bad Name", "--host", "h", "--port", "1" }, "service_name")]
    [InlineData(new[] { "register", "--name", "x", "--host", "h", "--port", "1", "--meta", "novalue" }, "--meta must be key=value")]
    [InlineData(new[] { "register", "--name", "x", "--host", "h", "--port", "1", "--ttl", "soon" }, "--ttl must be a duration")]
    [InlineData(new[] { "instances", "Not_Valid" }, "service name")]
    [InlineData(new[] { "services", "--registry", "ftp://x" }, "--registry must be host:port or an http(s) URL")]
    [InlineData(new[] { "frobnicate" }, "Unrecognized command or argument 'frobnicate'")]
    [InlineData(new[] { "instnces", "orders" }, "(did you mean 'instances'?)")]
    [InlineData(new[] { "register", "--name", "x", "--host", "h", "--port", "abc" }, "--port: 'abc' is not a whole number")]
    public async Task BadInput_ExitTwoWithOneReadableLine(string[] args, string expected)
    {
        var result = await ProcessRunner.RunCliAsync(args);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
