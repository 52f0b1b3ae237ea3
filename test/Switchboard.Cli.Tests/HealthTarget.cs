using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Cli.Tests;

/// <summary>A real Kestrel service with a <c>/health</c> endpoint, for the agent's checks to probe.</summary>
internal static class HealthTarget
{
    public static Task<TestServer> StartAsync() =>
        TestServer.StartAsync(app => app.MapGet("/health", () => Results.Json(new { status = "healthy" })));
}
