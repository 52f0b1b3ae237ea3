using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Testing;

namespace Switchboard.Docs.Tests;

/// <summary>
/// README's "Use the SDK in your app" as a newcomer follows it: the SDK packed into a local feed, a new worker project
/// outside the solution that adds the feed and the package (no project reference, none of this repository's build
/// settings), the README's worker example as its Program.cs, run against the real agent and a registered service.
/// </summary>
public sealed class PackedConsumerTests : IAsyncLifetime
{
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A version of its own per run, so the machine's package cache never serves an older pack.</summary>
    private readonly string _version = "0.1.0-consumer." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("sb-consumer-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _scratch.Delete(recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "switchboard.client", "switchboard.abstractions" })
        {
            var cached = Path.Combine(cache, id, _version);
            if (Directory.Exists(cached))
                Directory.Delete(cached, recursive: true);
        }
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ReadmeWorkerExample_FromThePackedPackages_CallsAServiceRegisteredInTheAgent()
    {
        await using var agent = await AgentProcess.StartAsync();
        await using var users = await TestServer.StartAsync(app =>
            app.MapGet("/users/{id:int}", (int id) => Results.Json(new { id, name = "Ada" })));
        var registered = await agent.Client.PostAsJsonAsync("/service-discovery/register", new
        {
            service_name = "user-service",
            instance_id = "user-service-1",
            host = "127.0.0.1",
            port = users.BaseUri.Port,
        }, Ct);
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync(Ct));

        var feed = Path.Combine(_scratch.FullName, "packages");
        foreach (var project in new[] { "src/Switchboard.Abstractions", "src/Switchboard.Client" })
            await DotnetAsync(DocBlocks.Root, "pack", Path.Combine(DocBlocks.Root, project), "-c", RepositoryPaths.Configuration, "--no-build", "-o", feed, $"-p:PackageVersion={_version}");

        var app = Path.Combine(_scratch.FullName, "my-app");
        Directory.CreateDirectory(app);
        await DotnetAsync(app, "new", "worker", "--name", "MyApp", "--output", ".");
        await DotnetAsync(app, "new", "nugetconfig");
        await DotnetAsync(app, "nuget", "add", "source", feed, "--name", "switchboard-local", "--configfile", "nuget.config");
        await DotnetAsync(app, "add", "package", "Switchboard.Client", "--version", _version);
        File.Delete(Path.Combine(app, "Worker.cs"));
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), WorkerExample().Code, Ct);

        var run = await DotnetAsync(app, ["run"], new Dictionary<string, string> { ["Switchboard__Registries__0"] = agent.BaseUri.ToString() });

        Assert.Contains("User { Id = 1, Name = Ada } from user-service-1", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Switchboard.Client.csproj", await File.ReadAllTextAsync(Path.Combine(app, "MyApp.csproj"), Ct), StringComparison.Ordinal);

        // The core package a worker takes drags neither ASP.NET Core nor Refit in (#23: packages a user can pick).
        var nuspec = await NuspecAsync(Path.Combine(feed, $"Switchboard.Client.{_version}.nupkg"));
        Assert.DoesNotContain("Microsoft.AspNetCore.App", nuspec, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Refit", nuspec, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(app, "bin"), "Refit*.dll", SearchOption.AllDirectories));
    }

    private static async Task<string> NuspecAsync(string package)
    {
        await using var zip = await System.IO.Compression.ZipFile.OpenReadAsync(package, Ct);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var reader = new StreamReader(await entry.OpenAsync(Ct));
        return await reader.ReadToEndAsync(Ct);
    }

    /// <summary>README's worker-host example (the SDK section's block that calls <c>AddSwitchboardCore()</c>).</summary>
    private static DocBlock WorkerExample() => DocBlocks.ReadmeSdk.Single(b => b.Code.Contains("AddSwitchboardCore()", StringComparison.Ordinal));

    private static Task<ProcessResult> DotnetAsync(string directory, params string[] args) => DotnetAsync(directory, args, null);

    private static async Task<ProcessResult> DotnetAsync(string directory, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var info = new ProcessStartInfo("dotnet", args) { WorkingDirectory = directory };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        var result = await ProcessRunner.RunAsync(info, DotnetTimeout);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result;
    }
}
