using System.Reflection;
using Aspire.Hosting;

namespace Switchboard.Aspire.Tests;

/// <summary>An AppHost builder for the tests: no dashboard, the orchestrator (DCP) from the package this project restores.</summary>
internal static class AspireAppHost
{
    /// <summary>The orchestrator's executable, from the Aspire.Hosting.Orchestration.linux-x64 package.</summary>
    public static string DcpPath { get; } = Path.Combine(
        typeof(AspireAppHost).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "DcpDirectory").Value!,
        "tools", "dcp");

    /// <remarks>
    /// A plain <see cref="DistributedApplication"/> builder: Aspire.Hosting.Testing's builder looks for an AppHost project
    /// (one on Aspire.AppHost.Sdk) and fails without one; its extensions (<c>CreateHttpClient</c>) still serve the app.
    /// </remarks>
    public static IDistributedApplicationBuilder CreateBuilder()
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
        {
            Args = [],
            DisableDashboard = true,
            AssemblyName = typeof(AspireAppHost).Assembly.GetName().Name,
            ProjectDirectory = AppContext.BaseDirectory,
        });
        builder.Configuration["DcpPublisher:CliPath"] = DcpPath;
        // Required to be set even with the dashboard disabled (the options validation asks for it); never started.
        builder.Configuration["DcpPublisher:DashboardPath"] = Path.GetDirectoryName(DcpPath);
        return builder;
    }

    /// <summary>The built sample service the AppHost runs (twice) as <c>dotnet Switchboard.Aspire.SampleService.dll</c>.</summary>
    public static string SampleServiceDll => RepositoryPaths.Built("test/Switchboard.Aspire.SampleService", "Switchboard.Aspire.SampleService.dll");
}
