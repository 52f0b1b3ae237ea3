using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Registry.KeyValues;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.KeyValues;

/// <summary>The embedded key/value store: what was acknowledged is loaded again, torn tails are cut, damage is named, compaction keeps everything.</summary>
public sealed class EmbeddedKeyValueStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-kv-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string KvDir => Path.Combine(_dir, EmbeddedKeyValueStore.FolderName);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private EmbeddedKeyValueStore NewStore(int compactAfter = 100_000, bool recover = false, ILogger<EmbeddedKeyValueStore>? logger = null)
        => new(Options.Create(new EmbeddedStoreOptions { DataDirectory = _dir, CompactAfterRecords = compactAfter, Recover = recover }),
            logger ?? NullLogger<EmbeddedKeyValueStore>.Instance);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private async Task WriteSampleAsync()
    {
        await using var store = NewStore();
        await store.LoadAsync(Ct);
        await store.PutAsync("config/a", Bytes("one"), 7, null, Ct);
        await store.PutAsync("config/b", [0, 1, 2, 255], 0, null, Ct);
        await store.PutAsync("config/a", Bytes("two"), 8, cas: 1, Ct);
        await store.PutAsync("gone/x", Bytes("x"), 0, null, Ct);
        await store.PutAsync("gone/y", Bytes("y"), 0, null, Ct);
        await store.DeleteAsync("gone/", recurse: true, cas: null, Ct);
        await store.PutAsync("single", Bytes("s"), 0, null, Ct);
        await store.DeleteAsync("single", recurse: false, cas: null, Ct);
    }

    private static void AssertSample(KeyValueMirror mirror)
    {
        Assert.Equal(8, mirror.Index);
        Assert.Equal(["config/a", "config/b"], mirror.List("").Select(e => e.Key));
        var a = mirror.Get("config/a")!;
        Assert.Equal(("two", 8L, 1L, 3L), (Encoding.UTF8.GetString(a.Value), a.Flags, a.CreateIndex, a.ModifyIndex));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, mirror.Get("config/b")!.Value);
    }

    [Fact]
    public async Task Reload_KeepsValuesFlagsAndIndexes_AndTheNextWriteContinuesTheIndex()
    {
        await WriteSampleAsync();

        await using var reopened = NewStore();
        await reopened.LoadAsync(Ct);

        AssertSample(reopened.Mirror);
        Assert.Equal(9, (await reopened.PutAsync("next", [], 0, null, Ct)).Index);
        Assert.False((await reopened.PutAsync("config/a", [], 0, cas: 2, Ct)).Applied); // cas compares the reloaded index
    }

    [Fact]
    public async Task TornLastRecord_IsCutWithAWarning_TheRestLoads_AndTheNextRecordIsKept()
    {
        await WriteSampleAsync();
        var segment = Directory.GetFiles(KvDir, "journal-*.log").Single();
        await File.AppendAllTextAsync(segment, "0badc0de {\"i\":9,\"put\":{\"key\":\"half", Ct); // a crash mid-write
        var logger = new ListLogger<EmbeddedKeyValueStore>();

        await using (var reopened = NewStore(logger: logger))
        {
            await reopened.LoadAsync(Ct);
            AssertSample(reopened.Mirror);
            Assert.Contains(logger.Entries, e => e.Event == "JournalTornTailCut" && e.Level == LogLevel.Warning);
            await reopened.PutAsync("after", Bytes("kept"), 0, null, Ct);
        }

        await using var again = NewStore();
        await again.LoadAsync(Ct);
        Assert.Equal("kept", Encoding.UTF8.GetString(again.Mirror.Get("after")!.Value));
        Assert.Equal(9, again.Mirror.Index);
    }

    [Fact]
    public async Task DamagedRecordInTheMiddle_RefusesToLoad_NamingFileAndOffset_UnlessRecover()
    {
        await WriteSampleAsync();
        var segment = Directory.GetFiles(KvDir, "journal-*.log").Single();
        var lines = await File.ReadAllLinesAsync(segment, Ct);
        lines[1] = lines[1].Replace("AAEC", "AAED", StringComparison.Ordinal); // the checksum no longer matches
        await File.WriteAllLinesAsync(segment, lines, Ct);

        await using (var refused = NewStore())
        {
            var error = await Assert.ThrowsAsync<StoreCorruptException>(() => refused.LoadAsync(Ct));
            Assert.Equal(segment, error.FilePath);
            Assert.Contains("checksum", error.Reason, StringComparison.Ordinal);
        }

        await using var recovered = NewStore(recover: true);
        await recovered.LoadAsync(Ct);
        Assert.Null(recovered.Mirror.Get("config/b"));
        Assert.NotNull(recovered.Mirror.Get("config/a"));
        Assert.True(File.Exists(segment + ".damaged"));
    }

    [Fact]
    public async Task Compaction_WritesASnapshot_DropsOldSegments_AndAReloadSeesEverything()
    {
        await using (var store = NewStore(compactAfter: 100))
        {
            await store.LoadAsync(Ct);
            for (var i = 0; i < 250; i++)
                await store.PutAsync($"k{i % 40}", Bytes($"v{i}"), i, null, Ct);
            await store.DeleteAsync("k3", recurse: false, cas: null, Ct);
            await store.Compaction;
        }

        Assert.True(File.Exists(Path.Combine(KvDir, "snapshot.json")));
        Assert.True(Directory.GetFiles(KvDir, "journal-*.log").Length <= 2);
        await using var reopened = NewStore();
        await reopened.LoadAsync(Ct);
        Assert.Equal(251, reopened.Mirror.Index);
        Assert.Equal(39, reopened.Mirror.Count);
        Assert.Null(reopened.Mirror.Get("k3"));
        Assert.Equal("v249", Encoding.UTF8.GetString(reopened.Mirror.Get("k9")!.Value));
    }

    [Fact]
    public async Task SecondStoreOnTheSameFolder_IsRefusedWithOneLine()
    {
        await using var first = NewStore();
        await first.LoadAsync(Ct);
        await using var second = NewStore();
        var refused = await Assert.ThrowsAsync<EmbeddedStoreException>(() => second.LoadAsync(Ct));
        Assert.Contains("in use by another Switchboard agent", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAfterClose_RefusedAsUnavailable_NotACrash()
    {
        var store = NewStore();
        await store.LoadAsync(Ct);
        await store.PutAsync("k", Bytes("v"), 0, null, Ct);
        await store.DisposeAsync();

        var refused = await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => store.PutAsync("k", Bytes("w"), 0, null, Ct));
        Assert.Contains("closed", refused.Message, StringComparison.Ordinal);
        Assert.Equal("v", Encoding.UTF8.GetString(store.Mirror.Get("k")!.Value));
    }
}
