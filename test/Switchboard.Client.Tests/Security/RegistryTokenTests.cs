using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Api;
using Switchboard.Client.RegistryApi;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Security;

/// <summary>The registry token on the wire: a real Kestrel on loopback records the Authorization header of every registry request.</summary>
public sealed class RegistryTokenTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-token-").FullName;
    private readonly ConcurrentQueue<string> _authorization = new();
    private readonly LogCollector _logs = new();

    public void Dispose()
    {
        _logs.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A registry stand-in: every request's Authorization header is recorded; the instances route answers an empty list.</summary>
    private Task<TestServer> StartRegistryAsync() => TestServer.StartAsync(app =>
    {
        app.Use(async (context, next) =>
        {
            _authorization.Enqueue(context.Request.Headers.Authorization.ToString());
            await next(context);
        });
        app.MapGet(RegistryRoutes.InstancesTemplate, (HttpContext context) =>
        {
            context.Response.Headers[RegistryRoutes.IndexHeader] = "1";
            return Results.Text("[]", "application/json");
        });
    });

    private ServiceProvider Client(Uri registry, string key, string value) => ClientServices.Build(
        new Dictionary<string, string?> { ["Switchboard:Registries:0"] = registry.ToString(), [key] = value },
        services => services.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace)));

    private string Last() => _authorization.Last();

    [Fact]
    public async Task Token_SentAsBearerOnEveryRegistryRequest()
    {
        await using var registry = await StartRegistryAsync();
        await using var provider = Client(registry.BaseUri, "Switchboard:Token", "0b1c2d3e-secret");
        var client = provider.GetRequiredService<ISwitchboardRegistryClient>();
        var ct = TestContext.Current.CancellationToken;

        await client.GetInstancesAsync("orders", cancellationToken: ct);
        await client.HeartbeatAsync("orders-1", cancellationToken: ct);
        await client.DeregisterAsync("orders-1", ct);

        Assert.Equal(["Bearer 0b1c2d3e-secret", "Bearer 0b1c2d3e-secret", "Bearer 0b1c2d3e-secret"], _authorization);
        Assert.DoesNotContain(_logs.Messages, m => m.Contains("0b1c2d3e-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TokenFile_RewrittenOnDisk_IsSentFromTheNextRequest_AndNeverLogged()
    {
        var file = Path.Combine(_dir, "token");
        await File.WriteAllTextAsync(file, "first-secret\n", TestContext.Current.CancellationToken);
        await using var registry = await StartRegistryAsync();
        await using var provider = Client(registry.BaseUri, "Switchboard:TokenFile", file);
        var client = provider.GetRequiredService<ISwitchboardRegistryClient>();
        var ct = TestContext.Current.CancellationToken;

        await client.GetInstancesAsync("orders", cancellationToken: ct);
        Assert.Equal("Bearer first-secret", Last());

        await File.WriteAllTextAsync(file, "the-rotated-second-secret\n", ct);
        await client.GetInstancesAsync("orders", cancellationToken: ct);
        Assert.Equal("Bearer the-rotated-second-secret", Last());

        // A rotation half done (the file gone for a moment) keeps the last token rather than going anonymous.
        File.Delete(file);
        await client.GetInstancesAsync("orders", cancellationToken: ct);
        Assert.Equal("Bearer the-rotated-second-secret", Last());
        Assert.Contains(_logs.Messages, m => m.Contains(file, StringComparison.Ordinal) && m.Contains("the file does not exist", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Messages, m => m.Contains("secret", StringComparison.Ordinal));
    }

    /// <summary>Every message logged through it, formatted.</summary>
    private sealed class LogCollector : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IEnumerable<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Collector(_messages);

        public void Dispose()
        {
        }

        private sealed class Collector(ConcurrentQueue<string> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => messages.Enqueue(formatter(state, exception) + exception);
        }
    }
}
