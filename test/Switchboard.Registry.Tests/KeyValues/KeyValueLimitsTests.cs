using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.KeyValues;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.KeyValues;

/// <summary>The size limits hold under concurrent puts: each put is checked where the store decides it, not against a count another put is about to change.</summary>
public sealed class KeyValueLimitsTests : IDisposable
{
    private const int Puts = 200;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-kv-limits-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    public static TheoryData<string> Stores => ["memory", "embedded"];

    private async Task<IKeyValueStore> OpenAsync(string kind)
    {
        IKeyValueStore store = kind == "memory"
            ? new InMemoryKeyValueStore()
            : new EmbeddedKeyValueStore(Options.Create(new EmbeddedStoreOptions { DataDirectory = _dir }), NullLogger<EmbeddedKeyValueStore>.Instance); // each write fsynced: puts queue behind it
        await store.LoadAsync(Ct);
        return store;
    }

    private static KeyValueService Service(IKeyValueStore store, KeyValueOptions limits)
        => new(store, Options.Create(limits), Options.Create(new RegistryOptions()), new FakeTimeProvider());

    /// <summary>Puts every key at once from the thread pool; returns how many were stored and how many refused as full.</summary>
    private static async Task<(int Stored, int Full)> PutAllAtOnceAsync(KeyValueService kv, int valueBytes)
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Puts).Select(i => Task.Run(async () =>
        {
            try
            {
                await kv.PutAsync($"config/k{i}", new byte[valueBytes], 0, null, Ct);
                return true;
            }
            catch (KeyValueStoreFullException)
            {
                return false;
            }
        }, Ct)));
        return (outcomes.Count(o => o), outcomes.Count(o => !o));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ConcurrentPutsOfNewKeys_NeverLeaveMoreThanMaxKeys(string kind)
    {
        await using var store = await OpenAsync(kind);
        var kv = Service(store, new KeyValueOptions { MaxKeys = 5 });

        var (stored, full) = await PutAllAtOnceAsync(kv, valueBytes: 1);

        Assert.Equal(5, store.Mirror.Count);
        Assert.Equal((5, Puts - 5), (stored, full));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ConcurrentPutsOfNewKeys_NeverHoldMoreThanMaxTotalValueBytes(string kind)
    {
        await using var store = await OpenAsync(kind);
        var kv = Service(store, new KeyValueOptions { MaxTotalValueBytes = 1024 });

        var (stored, full) = await PutAllAtOnceAsync(kv, valueBytes: 100);

        Assert.Equal(1000, store.Mirror.TotalValueBytes);
        Assert.Equal((10, Puts - 10), (stored, full));
    }

    [Fact]
    public async Task TheLimitsDecidedUnderTheGate_AreWhatTheEmbeddedStoreLoadsAgain()
    {
        await using (var store = await OpenAsync("embedded"))
            await PutAllAtOnceAsync(Service(store, new KeyValueOptions { MaxKeys = 5 }), valueBytes: 1);

        await using var reopened = await OpenAsync("embedded");
        Assert.Equal(5, reopened.Mirror.Count);
    }
}
