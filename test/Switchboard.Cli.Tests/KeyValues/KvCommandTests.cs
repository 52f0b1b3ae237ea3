using System.Diagnostics;
using System.Text.Json;

namespace Switchboard.Cli.Tests.KeyValues;

/// <summary><c>switchboard kv</c> against the real agent: every subcommand, cas, files and stdin, bad input as one line.</summary>
public sealed class KvCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-kv-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<ProcessResult> Sb(ServiceProcess agent, params string[] args)
        => ProcessRunner.RunCliAsync([.. args, "--registry", agent.BaseUri.ToString()]);

    /// <summary>Runs the CLI through bash (pipes and redirections).</summary>
    private static Task<ProcessResult> Shell(ServiceProcess agent, string script)
    {
        var info = new ProcessStartInfo("bash") { ArgumentList = { "-c", script } };
        info.Environment["SB"] = $"dotnet {RepositoryPaths.AgentDll}";
        info.Environment["SWITCHBOARD_REGISTRY"] = agent.BaseUri.ToString();
        return ProcessRunner.RunAsync(info);
    }

    private static void AssertOneLine(ProcessResult result, int exitCode, string expected)
    {
        Assert.Equal(exitCode, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("switchboard: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutGetListDelete_EndToEnd()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");

        var put = await Sb(agent, "kv", "put", "app/orders/Timeout", "00:00:05", "--flags", "7");
        Assert.Equal(0, put.ExitCode);
        Assert.Equal("put app/orders/Timeout (modify index 1)", put.Stdout.Trim());
        Assert.Equal(0, (await Sb(agent, "kv", "put", "app/orders/http/Retries", "3")).ExitCode);
        Assert.Equal(0, (await Sb(agent, "kv", "put", "app/billing/Currency", "EUR")).ExitCode);

        var get = await Sb(agent, "kv", "get", "app/orders/Timeout");
        Assert.Equal("00:00:05", get.Stdout); // redirected: the bytes as stored, nothing added
        var json = JsonDocument.Parse((await Sb(agent, "kv", "get", "app/orders/Timeout", "--json")).Stdout).RootElement;
        Assert.Equal(7, json.GetProperty("flags").GetInt64());
        Assert.Equal(Convert.ToBase64String("00:00:05"u8.ToArray()), json.GetProperty("value").GetString());

        var table = await Sb(agent, "kv", "list", "app/orders/");
        Assert.Contains("app/orders/http/Retries", table.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("app/billing", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(["app/billing/", "app/orders/"], (await Sb(agent, "kv", "list", "app/", "--keys", "--separator", "/")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(3, JsonDocument.Parse((await Sb(agent, "kv", "list", "--json")).Stdout).RootElement.GetArrayLength());

        Assert.Equal("deleted app/billing/Currency", (await Sb(agent, "kv", "delete", "app/billing/Currency")).Stdout.Trim());
        Assert.Equal(0, (await Sb(agent, "kv", "delete", "app/orders/", "--recurse")).ExitCode);
        Assert.Equal("[]", (await Sb(agent, "kv", "list", "--json")).Stdout.Trim());
        AssertOneLine(await Sb(agent, "kv", "get", "app/orders/Timeout"), 1, "no key 'app/orders/Timeout'");
    }

    [Fact]
    public async Task Cas_CreateOnlyThenCompareAndSet_ConflictIsOneLine()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");

        Assert.Equal(0, (await Sb(agent, "kv", "put", "lock", "a", "--cas", "0")).ExitCode);
        AssertOneLine(await Sb(agent, "kv", "put", "lock", "b", "--cas", "0"), 1, "cas=0 writes only a key that does not exist");
        var index = JsonDocument.Parse((await Sb(agent, "kv", "get", "lock", "--json")).Stdout).RootElement.GetProperty("modify_index").GetInt64();
        var ok = await Sb(agent, "kv", "put", "lock", "b", "--cas", index.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal(index + 1, JsonDocument.Parse(ok.Stdout).RootElement.GetProperty("modify_index").GetInt64());
        AssertOneLine(await Sb(agent, "kv", "delete", "lock", "--cas", index.ToString(System.Globalization.CultureInfo.InvariantCulture)), 1, "does not match the modify index of 'lock'");
        Assert.Equal("b", (await Sb(agent, "kv", "get", "lock")).Stdout);
    }

    [Fact]
    public async Task ValueFromFileAndStdin_BytesRoundTrip()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");
        var input = Path.Combine(_dir, "in.bin");
        var output = Path.Combine(_dir, "out.bin");
        byte[] bytes = [0, 1, 2, 0xff, 0xfe, (byte)'\n', 0x1b, (byte)'['];
        await File.WriteAllBytesAsync(input, bytes, TestContext.Current.CancellationToken);

        Assert.Equal(0, (await Sb(agent, "kv", "put", "blob", "--file", input)).ExitCode);
        var copied = await Shell(agent, $"$SB kv get blob > '{output}'");
        Assert.Equal(0, copied.ExitCode);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(output, TestContext.Current.CancellationToken));

        var piped = await Shell(agent, "printf 'line one\\nline two' | $SB kv put notes - && $SB kv get notes");
        Assert.Equal(0, piped.ExitCode);
        Assert.EndsWith("line one\nline two", piped.Stdout, StringComparison.Ordinal);

        var table = await Sb(agent, "kv", "list");
        Assert.Contains("<8 bytes, not UTF-8>", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_PrefixAndKey_StopAfterCount()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");
        Assert.Equal(0, (await Sb(agent, "kv", "put", "cfg/keep", "1")).ExitCode);
        var info = ProcessRunner.CliStartInfo(["kv", "watch", "--prefix", "cfg/", "--count", "3", "--registry", agent.BaseUri.ToString()]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var watch = Process.Start(info)!;
        try
        {
            var ct = TestContext.Current.CancellationToken;
            Assert.Contains("cfg/: 1 key(s)", await watch.StandardOutput.ReadLineAsync(ct), StringComparison.Ordinal);
            Assert.Contains("cfg/keep = 1", await watch.StandardOutput.ReadLineAsync(ct), StringComparison.Ordinal);
            Assert.Equal(0, (await Sb(agent, "kv", "put", "cfg/new", "x")).ExitCode);
            Assert.Equal(0, (await Sb(agent, "kv", "put", "cfg/keep", "2")).ExitCode);
            Assert.Equal(0, (await Sb(agent, "kv", "delete", "cfg/new")).ExitCode);
            await watch.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            var rest = await watch.StandardOutput.ReadToEndAsync(ct);
            Assert.Equal(0, watch.ExitCode);
            var lines = rest.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(3, lines.Length);
            Assert.EndsWith("+ cfg/new = x", lines[0], StringComparison.Ordinal);
            Assert.EndsWith("~ cfg/keep = 2", lines[1], StringComparison.Ordinal);
            Assert.EndsWith("- cfg/new", lines[2], StringComparison.Ordinal);
        }
        finally
        {
            await ProcessTree.KillAsync(watch);
        }

        var one = Shell(agent, "$SB kv watch cfg/keep --count 1");
        // Each put is a change; the watch may start after the first, so put until it has seen one.
        await Eventually.UntilAsync(async () => (await Sb(agent, "kv", "put", "cfg/keep", "3")).ExitCode == 0 && one.IsCompleted, done => done, "the key watch saw a change");
        var result = await one;
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("~ cfg/keep = 3", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadInput_ExitTwo_OneReadableLine()
    {
        await using var agent = await AgentProcess.StartAsync("--dev");

        AssertOneLine(await Sb(agent, "kv", "put", "app/../etc", "x"), 2, "key must not contain a '..' segment");
        AssertOneLine(await Sb(agent, "kv", "put", "k"), 2, "give a value, --file FILE, or - to read standard input");
        AssertOneLine(await Sb(agent, "kv", "put", "k", "v", "--file", "/nonexistent/file"), 2, "give the value or --file, not both");
        AssertOneLine(await Sb(agent, "kv", "put", "k", "--file", Path.Combine(_dir, "missing")), 2, "--file: cannot read");
        AssertOneLine(await Sb(agent, "kv", "put", "k", "v", "--cas", "-1"), 2, "--cas must be 0 or more");
        AssertOneLine(await Sb(agent, "kv", "put", "k", "v", "--flags", "many"), 2, "--flags");
        AssertOneLine(await Sb(agent, "kv", "delete", "k", "--recurse", "--cas", "3"), 2, "--cas cannot be combined with --recurse");
        AssertOneLine(await Sb(agent, "kv", "watch"), 2, "watch needs a KEY or --prefix PREFIX");
        AssertOneLine(await Sb(agent, "kv", "watch", "k", "--count", "0"), 2, "--count must be at least 1");
        AssertOneLine(await Sb(agent, "kv", "get", "a\u0001b"), 2, "control characters");
        var big = Path.Combine(_dir, "big.bin");
        await File.WriteAllBytesAsync(big, new byte[600 * 1024], TestContext.Current.CancellationToken);
        AssertOneLine(await Sb(agent, "kv", "put", "k", "--file", big), 2, "the registry keeps at most 524288");
        AssertOneLine(await ProcessRunner.RunCliAsync("kv", "get", "k", "--registry", $"127.0.0.1:{Ports.Free()}"), 1, "cannot reach the registry");
    }
}
