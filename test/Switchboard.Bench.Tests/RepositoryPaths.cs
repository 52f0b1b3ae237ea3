using System.Reflection;

namespace Switchboard.Bench.Tests;

/// <summary>The build output of the load harness and the agent, as the project file recorded it for this build's configuration.</summary>
internal static class RepositoryPaths
{
    public static string HarnessDll => Built("HarnessDll");

    /// <summary>The agent the harness starts (it finds it on its own; checked here so a missing build fails with a clear message).</summary>
    public static string AgentDll => Built("AgentDll");

    private static string Built(string key)
    {
        var path = typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: dotnet build Switchboard.slnx -c Release", path);
    }
}
