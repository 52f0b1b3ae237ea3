using System.Text.RegularExpressions;
using Switchboard.Samples.Tests.TestSupport;

namespace Switchboard.Samples.Tests.RunScript;

/// <summary>The sample's <c>run</c> script: one log directory per run, and <c>run restart NAME</c> owned by the running <c>run</c>.</summary>
public sealed partial class RunScriptTests : IDisposable
{
    private readonly string _runs = Directory.CreateTempSubdirectory("irrigation-runs-").FullName;

    [Fact]
    public async Task Restart_StartsTheServiceAgainUnderTheRun_AndStoppingTheRunStopsIt()
    {
        await using var run = await RunScriptProcess.StartAsync(_runs, "--services", "gis-service");
        var log = Path.Combine(_runs, "latest", "gis-service.log");

        var restarted = await RunScriptProcess.CommandAsync(_runs, "restart", "gis-service");

        Assert.True(restarted.ExitCode == 0, restarted.Stderr + restarted.Stdout);
        var pid = int.Parse(RestartedPid().Match(restarted.Stdout).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Eventually.UntilAsync(() => Task.FromResult(ListeningLines(log)), n => n == 2, "the restarted gis-service listens (its log keeps the first start)");

        var unknown = await RunScriptProcess.CommandAsync(_runs, "restart", "no-such-service");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no process named 'no-such-service'", unknown.Stderr, StringComparison.Ordinal);

        await run.StopAsync();
        await Eventually.UntilAsync(() => Task.FromResult(Alive(pid)), alive => !alive, "the restarted process is stopped with its run");
        var afterStop = await RunScriptProcess.CommandAsync(_runs, "restart", "gis-service");
        Assert.Equal(1, afterStop.ExitCode);
        Assert.Contains("no sample is running", afterStop.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoRuns_EachWritesItsOwnLogDirectory()
    {
        await using var first = await RunScriptProcess.StartAsync(_runs, "--services", "gis-service");
        await using var second = await RunScriptProcess.StartAsync(_runs, "--services", "gis-service");

        var directories = Directory.GetDirectories(_runs).Where(d => Path.GetFileName(d) != "latest").ToArray();
        Assert.Equal(2, directories.Length);
        Assert.All(directories, d => Assert.Equal(1, ListeningLines(Path.Combine(d, "agent.log"))));
        Assert.Contains(directories, d => Path.GetFileName(d).EndsWith($"-{second.Id}", StringComparison.Ordinal));

        await second.StopAsync();
        await first.StopAsync();
    }

    [Fact]
    public async Task Services_MisspelledName_RefusedBeforeStartingAnything()
    {
        var result = await RunScriptProcess.CommandAsync(_runs, "--no-build", "--services", "gis-service,wether-service");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown service 'wether-service'", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_runs));
    }

    public void Dispose() => Directory.Delete(_runs, recursive: true);

    private static int ListeningLines(string log) =>
        File.Exists(log) ? File.ReadLines(log).Count(l => l.Contains("listening on http://", StringComparison.Ordinal)) : 0;

    // A zombie (exited, not yet reaped by init) counts as stopped.
    private static bool Alive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"restarted gis-service \(pid (\d+)\)")]
    private static partial Regex RestartedPid();
}
