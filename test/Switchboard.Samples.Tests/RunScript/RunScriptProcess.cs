using System.Collections.Concurrent;
using System.Diagnostics;
using Switchboard.Samples.Tests.TestSupport;

namespace Switchboard.Samples.Tests.RunScript;

/// <summary>
/// <c>samples/Irrigation/run --free-ports --no-build</c> as a real process, its runs' directories in a temporary
/// directory (<c>IRRIGATION_RUN_ROOT</c>); disposal kills it and everything it started.
/// </summary>
internal sealed class RunScriptProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private RunScriptProcess(Process process, string runs)
    {
        _process = process;
        Runs = runs;
    }

    public static string Script => Path.Combine(RepositoryPaths.Root, "samples", "Irrigation", "run");

    /// <summary>The directory that holds the runs' directories.</summary>
    public string Runs { get; }

    public string Output => string.Join('\n', _output);

    public int Id => _process.Id;

    /// <summary>Starts <c>run</c> with <paramref name="args"/> and waits until it says the sample is running.</summary>
    public static async Task<RunScriptProcess> StartAsync(string runs, params string[] args)
    {
        var info = StartInfo(runs, ["--free-ports", "--no-build", .. args]);
        var run = new RunScriptProcess(Process.Start(info)!, runs);
        run._process.OutputDataReceived += (_, e) => { if (e.Data is not null) run._output.Enqueue(e.Data); };
        run._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) run._output.Enqueue(e.Data); };
        run._process.BeginOutputReadLine();
        run._process.BeginErrorReadLine();
        try
        {
            await Eventually.UntilAsync(() => Task.FromResult(run.Output), o => o.Contains("sample running", StringComparison.Ordinal) || run._process.HasExited, "run says it is running");
            Assert.False(run._process.HasExited, run.Output);
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>run restart NAME</c> (or any other arguments), run to its end.</summary>
    public static Task<ProcessResult> CommandAsync(string runs, params string[] args) => ProcessRunner.RunAsync(StartInfo(runs, args));

    /// <summary>SIGTERM, as a service manager or <c>kill</c> stops it, and waits (bounded) for it to exit.</summary>
    public async Task StopAsync()
    {
        await ProcessRunner.RunAsync("kill", "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(bound.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await ProcessTree.KillAsync(_process);
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string runs, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("bash", [Script, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["IRRIGATION_RUN_ROOT"] = runs;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }
}
