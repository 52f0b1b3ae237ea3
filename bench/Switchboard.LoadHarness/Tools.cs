using System.Diagnostics;

namespace Switchboard.LoadHarness;

/// <summary>The programs the harness drives (wrk, etcd, nginx, redis-server): present, installed with apt-get as root, and their versions.</summary>
internal static class Tools
{
    /// <summary>(command, Debian package) for every program the harness starts besides dotnet.</summary>
    public static readonly (string Command, string Package)[] Required = [("wrk", "wrk"), ("etcd", "etcd-server"), ("nginx", "nginx-light"), ("redis-server", "redis-server"), ("redis-benchmark", "redis-tools"),
        ("dig", "dnsutils"), ("dnsperf", "dnsperf"), ("dnsmasq", "dnsmasq-base")];

    /// <summary>Installs what is missing when running as root; false (with a message) when something is still missing.</summary>
    public static bool EnsureInstalled()
    {
        foreach (var (tool, package) in Required)
        {
            if (!CommandExists(tool) && !TryInstall(package))
            {
                Console.Error.WriteLine($"load harness: '{tool}' is missing: run 'apt-get update && apt-get install -y {package}'");
                return false;
            }
        }
        return true;
    }

    /// <summary>The first non-empty line <c>command arg</c> prints on stdout or stderr (version banners).</summary>
    public static string FirstLine(string command, string arg)
    {
        using var p = Process.Start(new ProcessStartInfo(command, arg) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stderr = p.StandardError.ReadToEndAsync();
        var text = p.StandardOutput.ReadToEnd() + "\n" + stderr.Result;
        p.WaitForExit();
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
    }

    public static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("run the harness from inside the Switchboard repository");
    }

    private static bool TryInstall(string package)
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
            return false;
        Console.Error.WriteLine($"load harness: installing {package} with apt-get");
        using var update = Process.Start("apt-get", "update -qq")!;
        update.WaitForExit();
        var info = new ProcessStartInfo("apt-get", $"install -y -qq {package}");
        info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var install = Process.Start(info)!;
        install.WaitForExit();
        return install.ExitCode == 0;
    }

    private static bool CommandExists(string name) => File.Exists(Resolve(name));

    /// <summary>The path of <paramref name="name"/> on PATH or in /usr/sbin (dnsmasq's home, not on a user's PATH); the bare name when neither has it.</summary>
    public static string Resolve(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Select(p => Path.Combine(p, name)).FirstOrDefault(File.Exists) ?? name;
}
