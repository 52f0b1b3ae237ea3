namespace Switchboard.Bench.Tests;

/// <summary>Where the build output of the load harness and the agent is, for the configuration the tests were built in.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public static string HarnessDll => Existing(
        Path.Combine(Root, "bench", "Switchboard.LoadHarness", "bin", Configuration, "net10.0", "Switchboard.LoadHarness.dll"), "bench/Switchboard.LoadHarness");

    /// <summary>The agent the harness starts (it finds it on its own; checked here so a missing build fails with a clear message).</summary>
    public static string AgentDll => Existing(Path.Combine(Root, "src", "Switchboard.Cli", "bin", Configuration, "net10.0", "switchboard.dll"), "src/Switchboard.Cli");

    private static string Existing(string path, string project) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} ({Configuration}) first: dotnet build Switchboard.slnx -c {Configuration}", path);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Switchboard.slnx) not found above " + AppContext.BaseDirectory);
    }
}
