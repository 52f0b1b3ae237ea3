using System.Diagnostics;
using System.Text;

namespace Switchboard.LoadHarness;

/// <summary>Child processes the harness starts and always stops.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    /// <summary>Starts <c>dotnet dll args</c> and waits (up to a minute) for a stdout line containing "listening on URL".</summary>
    public static Task<ChildProcess> StartListeningAsync(string dll, params string[] args) => StartListeningAsync(TimeSpan.FromSeconds(60), dll, new Dictionary<string, string>(), args);

    /// <summary>As <see cref="StartListeningAsync(string, string[])"/>, with <paramref name="environment"/> set for the process.</summary>
    public static Task<ChildProcess> StartListeningAsync(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
        => StartListeningAsync(TimeSpan.FromSeconds(60), dll, environment, args);

    /// <summary>As <see cref="StartListeningAsync(string, string[])"/>, waiting up to <paramref name="timeout"/>.</summary>
    public static Task<ChildProcess> StartListeningAsync(TimeSpan timeout, string dll, params string[] args)
        => StartListeningAsync(timeout, dll, new Dictionary<string, string>(), args);

    /// <summary>Starts <c>dotnet dll args</c> with <paramref name="environment"/> and waits up to <paramref name="timeout"/> for a stdout line containing "listening on URL".</summary>
    public static async Task<ChildProcess> StartListeningAsync(TimeSpan timeout, string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var process = PeerProcesses.Start(info);
        var log = new StringBuilder();
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (log)
                log.AppendLine(e.Data);
            var at = e.Data.IndexOf("listening on ", StringComparison.Ordinal);
            if (at >= 0)
                ready.TrySetResult(new Uri(e.Data[(at + 13)..].Split(' ')[0]));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                lock (log)
                    log.AppendLine(e.Data);
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("it exited"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new ChildProcess(process, await ready.Task.WaitAsync(timeout));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            PeerProcesses.Stop(process);
            lock (log)
                throw new InvalidOperationException($"{Path.GetFileName(dll)} {string.Join(' ', args)} did not start ({e.Message}):\n{log}");
        }
    }

    /// <summary>Starts several at once (start-up is not measured); if one fails, the others are stopped too.</summary>
    public static async Task<ChildProcess[]> StartAllAsync(params Task<ChildProcess>[] starting)
    {
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
                started.Result.Dispose();
            throw;
        }
    }

    /// <summary>Resident memory of the process in MiB, from /proc.</summary>
    public double ResidentMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        }
        return double.NaN;
    }

    /// <summary>CPU time the process has used so far (user + system, from /proc; clock ticks of 10 ms): what a run costs whatever the load of a shared machine.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": fields from the 3rd on
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    public void Dispose()
    {
        PeerProcesses.Stop(_process);
    }
}
