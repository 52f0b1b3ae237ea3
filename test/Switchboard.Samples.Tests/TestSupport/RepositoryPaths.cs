namespace Switchboard.Samples.Tests.TestSupport;

/// <summary>Where the build output of the agent and the sample is, for the configuration the tests were built in.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    public static string AgentDll => Existing(Path.Combine(Root, "src", "Switchboard.Cli", "bin", Configuration, "net10.0", "switchboard.dll"), "src/Switchboard.Cli");

    public static string SampleDll => Existing(
        Path.Combine(Root, "samples", "Irrigation", "Switchboard.Samples.Irrigation", "bin", Configuration, "net10.0", "Switchboard.Samples.Irrigation.dll"),
        "samples/Irrigation/Switchboard.Samples.Irrigation");

    private static string Existing(string path, string project) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} ({Configuration}) first.", path);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Switchboard.slnx) not found above " + AppContext.BaseDirectory);
    }
}
