using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.KeyValues;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.KeyValues;

/// <summary>The key/value engine over the in-memory store: validation, cas, recursive deletes, blocking waits on fake time.</summary>
public sealed class KeyValueServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (KeyValueService Service, FakeTimeProvider Time) NewService(KeyValueOptions? options = null, IKeyValueStore? store = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return (new KeyValueService(store ?? new InMemoryKeyValueStore(), Options.Create(options ?? new KeyValueOptions()), Options.Create(new RegistryOptions()), time), time);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Put_AssignsIncreasingIndexes_KeepsCreateIndex_AndStoresValueAndFlagsAsGiven()
    {
        var (kv, _) = NewService();
        var first = await kv.PutAsync("/config/a", Bytes("one"), 7, null, Ct);
        var other = await kv.PutAsync("config/b", Bytes("two"), 0, null, Ct);
        var second = await kv.PutAsync("config/a", Bytes("three"), 9, null, Ct);

        Assert.Equal((true, 1L), (first.Applied, first.Index));
        Assert.Equal(2, other.Index);
        Assert.Equal(3, second.Index);
        var entry = kv.Get("config/a")!; // the leading '/' was dropped
        Assert.Equal("three", Encoding.UTF8.GetString(entry.Value));
        Assert.Equal((9L, 1L, 3L), (entry.Flags, entry.CreateIndex, entry.ModifyIndex));
        Assert.Equal(3, kv.Index);
    }

    [Fact]
    public async Task Cas_ZeroCreatesOnly_NMatchesModifyIndexOnly_MismatchChangesNothing()
    {
        var (kv, _) = NewService();
        Assert.True((await kv.PutAsync("k", Bytes("1"), 0, cas: 0, Ct)).Applied);
        var again = await kv.PutAsync("k", Bytes("2"), 0, cas: 0, Ct);
        Assert.False(again.Applied);
        Assert.Equal(1, again.Index);

        Assert.False((await kv.PutAsync("k", Bytes("3"), 0, cas: 5, Ct)).Applied);
        Assert.False((await kv.PutAsync("missing", Bytes("3"), 0, cas: 1, Ct)).Applied);
        Assert.Equal("1", Encoding.UTF8.GetString(kv.Get("k")!.Value));
        Assert.Equal(1, kv.Index); // a refused cas spends no index

        var matched = await kv.PutAsync("k", Bytes("4"), 0, cas: 1, Ct);
        Assert.Equal((true, 2L), (matched.Applied, matched.Index));

        Assert.False((await kv.DeleteAsync("k", recurse: false, cas: 1, Ct)).Applied);
        Assert.NotNull(kv.Get("k"));
        Assert.True((await kv.DeleteAsync("k", recurse: false, cas: 2, Ct)).Applied);
        Assert.Null(kv.Get("k"));
        Assert.True((await kv.DeleteAsync("k", recurse: false, cas: 2, Ct)).Applied); // Consul: a missing key deletes fine
    }

    [Fact]
    public async Task RecurseDelete_RemovesEveryKeyUnderThePrefix_InOneIndex_AndNothingElse()
    {
        var (kv, _) = NewService();
        foreach (var key in new[] { "app/a", "app/b/c", "application", "other" })
            await kv.PutAsync(key, Bytes(key), 0, null, Ct);

        var deleted = await kv.DeleteAsync("app/", recurse: true, cas: null, Ct);

        Assert.Equal((true, 5L), (deleted.Applied, deleted.Index));
        Assert.Equal(["application", "other"], kv.List("").Select(e => e.Key));
        var nothing = await kv.DeleteAsync("nothing/", recurse: true, cas: null, Ct);
        Assert.Equal(5, nothing.Index); // nothing to delete: no index spent

        await kv.DeleteAsync("", recurse: true, cas: null, Ct);
        Assert.Empty(kv.List(""));
    }

    [Theory]
    [InlineData("", "key", "key must not be empty.")]
    [InlineData("/", "key", "key must not be empty.")]
    [InlineData("a/../b", "key", "'..' segment")]
    [InlineData("..", "key", "'..' segment")]
    [InlineData("a\0b", "key", "NUL")]
    [InlineData("a\nb", "key", "control characters")]
    [InlineData("a\u007fb", "key", "control characters")]
    public async Task Put_InvalidKey_RefusedNamingTheKey(string key, string field, string message)
    {
        var (kv, _) = NewService();
        var refused = await Assert.ThrowsAsync<KeyValueValidationException>(() => kv.PutAsync(key, [], 0, null, Ct));
        Assert.Equal(field, refused.Field);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, kv.Index);
    }

    [Fact]
    public async Task Put_LoneSurrogate_RefusedAsInvalidUnicode()
    {
        var (kv, _) = NewService();
        var refused = await Assert.ThrowsAsync<KeyValueValidationException>(() => kv.PutAsync("a" + (char)0xD800 + "b", [], 0, null, Ct));
        Assert.Contains("valid Unicode", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_KeyOf512BytesFits_513DoNot_ValueOf512KiBFits_OneMoreDoesNot_FlagsNotNegative()
    {
        var (kv, _) = NewService();
        await kv.PutAsync(new string('k', 512), [], 0, null, Ct);
        await kv.PutAsync(new string('é', 256), [], 0, null, Ct); // 512 bytes in UTF-8
        Assert.Equal("key", (await Assert.ThrowsAsync<KeyValueValidationException>(() => kv.PutAsync(new string('k', 513), [], 0, null, Ct))).Field);
        Assert.Equal("key", (await Assert.ThrowsAsync<KeyValueValidationException>(() => kv.PutAsync("k" + new string('é', 256), [], 0, null, Ct))).Field);

        await kv.PutAsync("big", new byte[512 * 1024], 0, null, Ct);
        Assert.Equal("value", (await Assert.ThrowsAsync<KeyValueValidationException>(() => kv.PutAsync("big", new byte[512 * 1024 + 1], 0, null, Ct))).Field);
        Assert.Equal("flags", (await Assert.ThrowsAsync<KeyValueValidationException>(() => kv.PutAsync("f", [], -1, null, Ct))).Field);
        Assert.Equal("cas", (await Assert.ThrowsAsync<KeyValueValidationException>(() => kv.DeleteAsync("f/", recurse: true, cas: 3, Ct))).Field);
    }

    [Fact]
    public async Task Limits_MaxKeysAndMaxTotalBytes_RefuseNewKeysAndGrowth_ButNotReplacements()
    {
        var (kv, _) = NewService(new KeyValueOptions { MaxKeys = 2, MaxTotalValueBytes = 2048 });
        await kv.PutAsync("a", new byte[1000], 0, null, Ct);
        await kv.PutAsync("b", new byte[1000], 0, null, Ct);
        await Assert.ThrowsAsync<KeyValueStoreFullException>(() => kv.PutAsync("c", [], 0, null, Ct));
        await Assert.ThrowsAsync<KeyValueStoreFullException>(() => kv.PutAsync("a", new byte[1100], 0, null, Ct));
        await kv.PutAsync("a", new byte[10], 0, null, Ct); // smaller: fine
        Assert.Equal(1010, kv.Store.Mirror.TotalValueBytes);
    }

    [Fact]
    public async Task Wait_WokenByAChangeToItsKey_NotByOthers_AnswersTheKeysIndex()
    {
        var (kv, time) = NewService();
        await kv.PutAsync("watched", Bytes("1"), 0, null, Ct);
        var seen = kv.WatchIndex("watched", prefix: false);

        var waiting = kv.WaitAsync("watched", prefix: false, seen, TimeSpan.FromMinutes(5), Ct);
        await kv.PutAsync("other", Bytes("x"), 0, null, Ct);
        Assert.False(waiting.IsCompleted);
        await kv.PutAsync("watched", Bytes("2"), 0, null, Ct);

        Assert.Equal(3, await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(0, time.GetUtcNow().Subtract(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).Ticks); // no time passed
    }

    [Fact]
    public async Task Wait_OnAMissingKey_WokenWhenCreated_AndADeletionWakesItsWatchers()
    {
        var (kv, _) = NewService();
        await kv.PutAsync("other", Bytes("x"), 0, null, Ct);
        var missing = kv.WatchIndex("later", prefix: false);
        Assert.Equal(0, missing);

        var created = kv.WaitAsync("later", prefix: false, missing, TimeSpan.FromMinutes(5), Ct);
        await kv.PutAsync("later", Bytes("1"), 0, null, Ct);
        var index = await created.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var deleted = kv.WaitAsync("later", prefix: false, index, TimeSpan.FromMinutes(5), Ct);
        await kv.DeleteAsync("later", recurse: false, cas: null, Ct);
        Assert.Equal(3, await deleted.WaitAsync(TimeSpan.FromSeconds(10), Ct)); // the tombstone's index
        Assert.Equal(3, kv.WatchIndex("later", prefix: false));
    }

    [Fact]
    public async Task Wait_OnAPrefix_WokenByAnyKeyUnderIt_IncludingARecursiveDelete()
    {
        var (kv, _) = NewService();
        await kv.PutAsync("app/a", Bytes("1"), 0, null, Ct);
        var seen = kv.WatchIndex("app/", prefix: true);

        var put = kv.WaitAsync("app/", prefix: true, seen, TimeSpan.FromMinutes(5), Ct);
        await kv.PutAsync("apple", Bytes("x"), 0, null, Ct);
        Assert.False(put.IsCompleted);
        await kv.PutAsync("app/b", Bytes("2"), 0, null, Ct);
        seen = await put.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(3, seen);

        var tree = kv.WaitAsync("app/", prefix: true, seen, TimeSpan.FromMinutes(5), Ct);
        await kv.DeleteAsync("app/", recurse: true, cas: null, Ct);
        Assert.Equal(4, await tree.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task Wait_TimesOutOnTheFakeClock_AnsweringTheSameIndex_WithoutAnException()
    {
        var (kv, time) = NewService();
        await kv.PutAsync("k", Bytes("1"), 0, null, Ct);

        var waiting = kv.WaitAsync("k", prefix: false, 1, TimeSpan.FromSeconds(30), Ct);
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task Wait_IndexTheStoreNeverReached_AnswersAtOnce()
    {
        var (kv, _) = NewService();
        await kv.PutAsync("k", Bytes("1"), 0, null, Ct);
        var answer = kv.WaitAsync("k", prefix: false, 99, TimeSpan.FromMinutes(5), Ct);
        Assert.True(answer.IsCompletedSuccessfully);
        Assert.Equal(1, await answer);
    }

    [Fact]
    public async Task FailedPersist_LeavesMemoryAndIndexUnchanged_AndTheNextWriteTakesTheSameIndex()
    {
        var mirror = new KeyValueMirror();
        var fail = false;
        var writer = new LocalKeyValueWriter(mirror, _ => fail
            ? throw new RegistryStoreUnavailableException("disk full; nothing of it was kept.")
            : ValueTask.CompletedTask);
        await writer.PutAsync("k", Bytes("1"), 0, null, null, Ct);
        var changed = mirror.Changed;
        fail = true;

        await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => writer.PutAsync("k", Bytes("2"), 0, null, null, Ct));
        await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => writer.DeleteAsync("k", recurse: false, null, Ct));
        await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => writer.DeleteAsync("", recurse: true, null, Ct));

        Assert.Equal("1", Encoding.UTF8.GetString(mirror.Get("k")!.Value));
        Assert.Equal(1, mirror.Index);
        Assert.False(changed.IsCompleted); // no watcher woke for a change that was not kept
        fail = false;
        Assert.Equal(2, (await writer.PutAsync("k", Bytes("3"), 0, null, null, Ct)).Index);
    }

    [Fact]
    public void Mirror_IgnoresChangesOlderThanWhatItHolds_AndBoundsTombstones()
    {
        var mirror = new KeyValueMirror();
        mirror.Put(new KeyValueEntry("k", Bytes("new"), 0, 1, 5));
        mirror.Put(new KeyValueEntry("k", Bytes("old"), 0, 1, 3)); // a change seen late (a shared store's replay)
        Assert.Equal("new", Encoding.UTF8.GetString(mirror.Get("k")!.Value));
        Assert.False(mirror.Delete("k", 4));
        Assert.NotNull(mirror.Get("k"));

        for (var i = 0; i <= KeyValueMirror.MaxTombstones; i++)
        {
            mirror.Put(new KeyValueEntry($"t{i}", [], 0, 10 + 2 * i, 10 + 2 * i));
            mirror.Delete($"t{i}", 11 + 2 * i);
        }
        // Past the bound the oldest half went; the floor keeps every watch index at or above the deletions dropped.
        Assert.True(mirror.WatchIndex("t0", prefix: false) >= 11);
        Assert.True(mirror.WatchIndex("never", prefix: false) >= 11);
    }
}
