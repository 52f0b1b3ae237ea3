namespace Switchboard.Cli.Tests.Agent;

/// <summary>A tmpfs mounted for one test (tests run as root here); unmounted, lazily if it is still busy, on disposal.</summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private TmpfsMount(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>Mounts a tmpfs with <paramref name="options"/> (<c>ro</c>, <c>size=2m</c>); null and the reason when mounting is not permitted.</summary>
    public static async Task<(TmpfsMount? Mount, string Reason)> TryMountAsync(string options)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "sb-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("mount", "-t", "tmpfs", "-o", options, "tmpfs", path);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Directory.Delete(path);
            return (null, $"mount cannot be run here: {ex.Message}");
        }
        if (result.ExitCode != 0)
        {
            Directory.Delete(path);
            return (null, $"mount -t tmpfs -o {options} is not permitted here: {result.Stderr.Trim()}");
        }
        return (new TmpfsMount(path), "");
    }

    public async ValueTask DisposeAsync()
    {
        var result = await ProcessRunner.RunAsync("umount", Path);
        if (result.ExitCode != 0)
            await ProcessRunner.RunAsync("umount", "-l", Path);
        Directory.Delete(Path, recursive: true);
    }
}
