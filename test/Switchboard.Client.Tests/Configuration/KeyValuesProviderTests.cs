using Switchboard.Client.Configuration;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Configuration;

/// <summary>The provider's failure paths: backoff on fake time, start-up timeout, Optional=false, refusals and garbage keep the last values.</summary>
public sealed class KeyValuesProviderTests
{
    private static IConfigurationBuilder Builder(Uri registry, string? token = null) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Switchboard:Registries:0"] = registry.ToString(),
        ["Switchboard:Token"] = token,
    });

    private static Uri NobodyListening() => new($"http://127.0.0.1:{Ports.Free()}/");

    [Fact]
    public async Task RegistryAway_RetriesWithGrowingJitteredBackoff_OnTheInjectedClock()
    {
        var time = new ObservableFakeTime();
        var baseDelay = TimeSpan.FromMilliseconds(100);
        using var root = (ConfigurationRoot)Builder(NobodyListening()).AddSwitchboardKeyValues("app/", o =>
        {
            o.StartupTimeout = TimeSpan.Zero;
            o.TimeProvider = time;
            o.RetryBaseDelay = baseDelay;
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(400);
        }).Build();

        // Backoff delays are the only timers under a second (each request's own timeout is 10 s).
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var due = await time.NextTimerAsync(d => d > TimeSpan.Zero && d < TimeSpan.FromSeconds(1));
            var full = TimeSpan.FromTicks(Math.Min(baseDelay.Ticks << attempt, TimeSpan.FromMilliseconds(400).Ticks));
            Assert.InRange(due, full / 2, full);
            time.Advance(due);
        }
        var provider = Assert.Single(root.Providers.OfType<SwitchboardKeyValuesProvider>());
        Assert.Contains("connection refused", provider.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(root.AsEnumerable(), e => !e.Key.StartsWith("Switchboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotOptional_RegistryAway_StartFailsAtTheTimeout_NamingRegistryAndPrefix()
    {
        var time = new ObservableFakeTime();
        var registry = NobodyListening();
        var build = Task.Run(() => Builder(registry).AddSwitchboardKeyValues("app/orders/", o =>
        {
            o.Optional = false;
            o.TimeProvider = time;
            o.StartupTimeout = TimeSpan.FromSeconds(3);
        }).Build(), TestContext.Current.CancellationToken);

        await time.NextTimerAsync(d => d == TimeSpan.FromSeconds(3));
        time.Advance(TimeSpan.FromSeconds(3));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => build);
        Assert.Contains("'app/orders/'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(registry.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Contains("not optional", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Optional_RegistryAway_StartReturnsAtTheTimeout_Empty()
    {
        var time = new ObservableFakeTime();
        var build = Task.Run(() => Builder(NobodyListening()).AddSwitchboardKeyValues("app/", o =>
        {
            o.TimeProvider = time;
            o.StartupTimeout = TimeSpan.FromSeconds(3);
        }).Build(), TestContext.Current.CancellationToken);

        await time.NextTimerAsync(d => d == TimeSpan.FromSeconds(3));
        Assert.False(build.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(3));

        using var root = (ConfigurationRoot)await build;
        Assert.DoesNotContain(root.AsEnumerable(), e => !e.Key.StartsWith("Switchboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotOptional_TokenRefused_StartFailsAtOnce_WithTheRegistrysWords()
    {
        await using var stub = await KvStubServer.StartAsync();
        stub.Mode = KvStubMode.Forbidden;

        var ex = Assert.Throws<InvalidOperationException>(() => Builder(stub.BaseUri, "svc-token").AddSwitchboardKeyValues("secrets/orders/", o =>
        {
            o.Optional = false;
            o.StartupTimeout = TimeSpan.FromMinutes(1);
        }).Build());

        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Permission denied", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'secrets/orders/'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("svc-token", stub.Tokens[0]);
    }

    [Fact]
    public async Task GarbageAnswers_LastValuesKept_ThenNewValuesWhenItAnswersAgain()
    {
        await using var stub = await KvStubServer.StartAsync();
        stub.Put("app/Color", "blue");
        using var root = (ConfigurationRoot)Builder(stub.BaseUri).AddSwitchboardKeyValues("app/", o =>
        {
            o.WaitTime = TimeSpan.FromSeconds(1);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
        }).Build();
        var provider = Assert.Single(root.Providers.OfType<SwitchboardKeyValuesProvider>());
        Assert.Equal("blue", root["Color"]);

        stub.Mode = KvStubMode.Garbage;
        await Until(() => provider.LastError?.Contains("X-Consul-Index", StringComparison.Ordinal) == true);
        Assert.Equal("blue", root["Color"]);

        var reloaded = new TaskCompletionSource();
        root.GetReloadToken().RegisterChangeCallback(_ => reloaded.TrySetResult(), null);
        stub.Mode = KvStubMode.Normal;
        stub.Put("app/Color", "green");
        await reloaded.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal("green", root["Color"]);
        Assert.Null(provider.LastError);
    }

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
            await Task.Delay(20, timeout.Token);
    }
}
