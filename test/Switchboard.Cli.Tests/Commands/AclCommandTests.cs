using System.Text.Json;

namespace Switchboard.Cli.Tests.Commands;

/// <summary>The README's "Access control" flow, on the real agent with ACLs on and default deny.</summary>
public sealed class AclCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-acl-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<ServiceProcess> StartAgentAsync() => AgentProcess.StartAsync("--dev", "--acl", "--acl-default-policy", "deny");

    /// <summary>Runs the CLI against <paramref name="agent"/> with only the given token variables set.</summary>
    private static Task<ProcessResult> Sb(ServiceProcess agent, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = ProcessRunner.CliStartInfo([.. args, "--registry", agent.BaseUri.ToString()]);
        info.Environment.Remove("SWITCHBOARD_TOKEN");
        info.Environment.Remove("CONSUL_HTTP_TOKEN");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        return ProcessRunner.RunAsync(info);
    }

    private static Task<ProcessResult> Sb(ServiceProcess agent, params string[] args) => Sb(agent, null, args);

    /// <summary>The value of a <c>Name:   value</c> line of a command's output.</summary>
    private static string Field(ProcessResult result, string name)
    {
        Assert.True(result.ExitCode == 0, result.Stderr);
        var line = result.Stdout.Split('\n').Single(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return line[(name.Length + 1)..].Trim();
    }

    private static void AssertOneLine(ProcessResult result, int exitCode, string expected)
    {
        Assert.Equal(exitCode, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("switchboard: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BootstrapPolicyTokenSelf_AsTheReadmeShowsIt()
    {
        await using var agent = await StartAgentAsync();

        // switchboard acl bootstrap
        var bootstrap = await Sb(agent, "acl", "bootstrap");
        var management = Field(bootstrap, "SecretID");
        Assert.Contains("This secret is shown only this once", bootstrap.Stdout, StringComparison.Ordinal);
        AssertOneLine(await Sb(agent, "acl", "bootstrap"), 1, "Permission denied: ACL bootstrap no longer allowed");

        // export SWITCHBOARD_TOKEN=<management secret>; switchboard acl policy create ...
        var asManagement = new Dictionary<string, string> { ["SWITCHBOARD_TOKEN"] = management };
        var rulesFile = Path.Combine(_dir, "orders.json");
        await File.WriteAllTextAsync(rulesFile, """{"service":{"orders":{"policy":"write"}}}""", TestContext.Current.CancellationToken);
        var policy = await Sb(agent, asManagement, "acl", "policy", "create", "--name", "orders-writer", "--rules", "@" + rulesFile, "--description", "orders registers itself");
        Assert.Equal(0, policy.ExitCode);
        Assert.StartsWith("created policy orders-writer (", policy.Stdout, StringComparison.Ordinal);
        Assert.Contains("orders-writer", (await Sb(agent, asManagement, "acl", "policy", "list")).Stdout, StringComparison.Ordinal);

        // switchboard acl token create --policy orders-writer --description "orders service"
        var created = await Sb(agent, asManagement, "acl", "token", "create", "--policy", "orders-writer", "--description", "orders service", "--expires-in", "12h");
        var (accessor, secret) = (Field(created, "AccessorID"), Field(created, "SecretID"));
        Assert.Equal("orders-writer", Field(created, "Policies"));

        // the token in use: --token, SWITCHBOARD_TOKEN and CONSUL_HTTP_TOKEN
        foreach (var self in new[]
        {
            await Sb(agent, "acl", "token", "self", "--token", secret),
            await Sb(agent, new Dictionary<string, string> { ["SWITCHBOARD_TOKEN"] = secret }, "acl", "token", "self"),
            await Sb(agent, new Dictionary<string, string> { ["CONSUL_HTTP_TOKEN"] = secret }, "acl", "token", "self"),
        })
        {
            Assert.Equal(accessor, Field(self, "AccessorID"));
            Assert.Equal("orders-writer", Field(self, "Policies"));
            Assert.DoesNotContain(secret, self.Stdout, StringComparison.Ordinal);
        }
        var asOrders = new Dictionary<string, string> { ["SWITCHBOARD_TOKEN"] = secret };
        Assert.Equal(0, (await Sb(agent, asOrders, "register", "--name", "orders", "--host", "10.0.0.5", "--port", "9000", "--ttl", "0")).ExitCode);
        AssertOneLine(await Sb(agent, asOrders, "register", "--name", "payments", "--host", "10.0.0.6", "--port", "9000", "--ttl", "0"), 1,
            $"Permission denied: token with AccessorID '{accessor}' lacks permission 'service:write' on \"payments\"");
        AssertOneLine(await Sb(agent, "register", "--name", "orders", "--host", "10.0.0.7", "--port", "9000", "--ttl", "0"), 1, "lacks permission 'service:write'");

        // lists never show a secret; the orders token may not manage ACLs
        var list = await Sb(agent, asManagement, "acl", "token", "list", "--json");
        Assert.Equal(2, JsonDocument.Parse(list.Stdout).RootElement.GetArrayLength());
        Assert.DoesNotContain(secret, list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(management, list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, (await Sb(agent, asManagement, "acl", "token", "list")).Stdout, StringComparison.Ordinal);
        AssertOneLine(await Sb(agent, asOrders, "acl", "policy", "create", "--name", "x", "--rules", "{}"), 1,
            $"Permission denied: token with AccessorID '{accessor}' lacks permission 'acl:write'");

        // delete the token: its secret stops working at once; then the policy, by name
        Assert.Equal($"deleted token {accessor}", (await Sb(agent, asManagement, "acl", "token", "delete", accessor)).Stdout.Trim());
        AssertOneLine(await Sb(agent, asOrders, "acl", "token", "self"), 1, "ACL not found");
        Assert.StartsWith("deleted policy orders-writer", (await Sb(agent, asManagement, "acl", "policy", "delete", "orders-writer")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRulesOrUnreadableFiles_OneLine()
    {
        await using var agent = await StartAgentAsync();
        var management = Field(await Sb(agent, "acl", "bootstrap"), "SecretID");

        var missing = Path.Combine(_dir, "missing-token");
        AssertOneLine(await Sb(agent, "acl", "token", "self", "--token-file", missing), 2, $"cannot read the token file {missing}");
        var empty = Path.Combine(_dir, "empty-token");
        await File.WriteAllTextAsync(empty, "\n", TestContext.Current.CancellationToken);
        AssertOneLine(await Sb(agent, "services", "--token-file", empty), 2, $"the token file {empty} is empty");

        var tokenFile = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(tokenFile, management + "\n", TestContext.Current.CancellationToken);
        AssertOneLine(await Sb(agent, "acl", "policy", "create", "--name", "p", "--rules", """{"service":{"orders":{"policy":"admin"}}}""", "--token-file", tokenFile), 1,
            "rejected: rules.service.orders.policy must be read, write or deny");
        AssertOneLine(await Sb(agent, "acl", "policy", "create", "--name", "p", "--rules", "@" + Path.Combine(_dir, "nope.json"), "--token-file", tokenFile), 2, "cannot read the rules file");
        AssertOneLine(await Sb(agent, "acl", "policy", "list", "--token", Guid.NewGuid().ToString()), 1, "ACL not found");
        AssertOneLine(await Sb(agent, "acl", "policy", "list"), 1, "lacks permission 'acl:read'");
    }

    [Fact]
    public async Task AclFlag_TurnsAclsOn_NoExposureWarningBeyondLoopback()
    {
        await using var agent = await AgentProcess.StartAsync("--dev", "--bind", "0.0.0.0", "--acl");

        Assert.DoesNotContain(agent.Lines, l => l.Contains("WARNING: listening on", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agent.BaseUri.Port}") };
        using var policies = await http.GetAsync("/v1/acl/policies", TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, policies.StatusCode); // on (the anonymous token lacks acl:read), not 401 ACL support disabled
    }

    [Fact]
    public async Task AclsOff_OneLineSayingSo()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");

        AssertOneLine(await Sb(agent, "acl", "bootstrap"), 1, "ACL support disabled (start the agent with --acl)");
    }
}
