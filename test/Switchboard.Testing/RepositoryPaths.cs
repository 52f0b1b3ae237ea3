using System.Reflection;

namespace Switchboard.Testing;

/// <summary>The repository checkout the tests run from and the build output in it, for the configuration the tests were built in.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder that holds <c>Switchboard.slnx</c>, found above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this assembly (and so the CLI it builds) was built in.</summary>
    public static string Configuration { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    /// <summary>The built CLI, <c>src/Switchboard.Cli/bin/&lt;configuration&gt;/net10.0/switchboard.dll</c>.</summary>
    public static string AgentDll => Built("src/Switchboard.Cli", "switchboard.dll");

    /// <summary>The <paramref name="dll"/> in the build output of the project folder <paramref name="project"/> (relative to the root, '/'-separated).</summary>
    /// <exception cref="FileNotFoundException">That project is not built in this configuration.</exception>
    public static string Built(string project, string dll)
    {
        var path = Path.Combine([Root, .. project.Split('/'), "bin", Configuration, "net10.0", dll]);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} ({Configuration}) first.", path);
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Switchboard.slnx")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Switchboard.slnx) not found above " + AppContext.BaseDirectory);
    }
}
