using System.Reflection;
using Aspire.Hosting.Testing;

namespace Switchboard.Aspire.Tests;

/// <summary>An AppHost builder for the tests: no dashboard, the orchestrator (DCP) from the package this project restores.</summary>
internal static class AspireAppHost
{
    /// <summary>The orchestrator's executable, from the Aspire.Hosting.Orchestration.linux-x64 package.</summary>
    public static string DcpPath { get; } = Path.Combine(
        typeof(AspireAppHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DcpDirectory").Value!,
        "tools", "dcp");

    public static IDistributedApplicationTestingBuilder CreateBuilder()
    {
        var builder = DistributedApplicationTestingBuilder.Create([], (options, _) => options.DisableDashboard = true);
        builder.Configuration["DcpPublisher:CliPath"] = DcpPath;
        return builder;
    }

    /// <summary>The built sample service the AppHost runs (twice) as <c>dotnet Switchboard.Aspire.SampleService.dll</c>.</summary>
    public static string SampleServiceDll => RepositoryPaths.Built("test/Switchboard.Aspire.SampleService", "Switchboard.Aspire.SampleService.dll");
}
