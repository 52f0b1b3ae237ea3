using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Storage;

/// <summary>Compaction runs beside the writer loop, and a crash at any point of it loads everything.</summary>
public sealed class EmbeddedStoreCompactionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-compact-" + Guid.NewGuid().ToString("N"));

    private EmbeddedRegistryStore NewStore(int compactAfter = 100)
        => new(Options.Create(new EmbeddedStoreOptions { DataDirectory = _dir, CompactAfterRecords = compactAfter }), NullLogger<EmbeddedRegistryStore>.Instance);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private async Task<StoreSnapshot> ReloadAsync()
    {
        await using var store = NewStore();
        return await store.LoadAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WritesGoOnWhileTheSnapshotIsBeingWritten_AndNothingIsLost()
    {
        using var release = new ManualResetEventSlim();
        using var holding = new SemaphoreSlim(0);
        await using (var store = NewStore())
        {
            store.BeforeSnapshotWrite = () =>
            {
                holding.Release();
                release.Wait(TestContext.Current.CancellationToken);
            };
            await store.LoadAsync(TestContext.Current.CancellationToken);
            for (var i = 1; i <= 100; i++)
                await store.PersistAsync(StoreWrite.Put(i, CatalogFixture.Instance(port: i)));
            await holding.WaitAsync(TestContext.Current.CancellationToken); // the compaction has started and is held

            // Every one of these is acknowledged while the snapshot is still unwritten: the writer loop does not wait for it.
            var more = Enumerable.Range(101, 150).Select(i => store.PersistAsync(StoreWrite.Put(i, CatalogFixture.Instance(port: i)))).ToArray();
            await Task.WhenAll(more);
            await store.PersistAsync(StoreWrite.Remove(251, CatalogFixture.Instance(port: 7).InstanceId));
            Assert.False(store.Compaction.IsCompleted);
            Assert.False(File.Exists(Path.Combine(_dir, "snapshot.json")));
            release.Set();
        }

        var snapshot = await ReloadAsync();

        Assert.Equal(251, snapshot.Index);
        Assert.Equal(Enumerable.Range(1, 250).Where(p => p != 7), snapshot.Instances.Select(i => i.Port).Order());
        Assert.True(File.Exists(Path.Combine(_dir, "snapshot.json")));
        Assert.DoesNotContain(Path.Combine(_dir, "journal-00000000000000000001.log"), Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData(false)] // crashed after the snapshot was renamed into place, before the old segment was deleted
    [InlineData(true)]  // crashed before the snapshot was renamed into place
    public async Task CrashDuringCompaction_LoadsEveryRecord(bool beforeSnapshot)
    {
        var aside = Path.Combine(_dir, "aside");
        await using (var store = NewStore())
        {
            // Keep a copy of the files as they are when the snapshot is about to be written: put back afterwards, they
            // are what a crash at that point leaves on disk.
            store.BeforeSnapshotWrite = () =>
            {
                Directory.CreateDirectory(aside);
                foreach (var file in Directory.GetFiles(_dir, "journal-*.log"))
                    File.Copy(file, Path.Combine(aside, Path.GetFileName(file)));
            };
            await store.LoadAsync(TestContext.Current.CancellationToken);
            for (var i = 1; i <= 130; i++)
                await store.PersistAsync(StoreWrite.Put(i, CatalogFixture.Instance(port: 1 + (i % 60), tags: [$"t{i}"])));
        }
        var newest = Directory.GetFiles(_dir, "journal-*.log").Max()!;
        foreach (var file in Directory.GetFiles(aside))
        {
            var target = Path.Combine(_dir, Path.GetFileName(file));
            if (target != newest)
                File.Copy(file, target, overwrite: true);
        }
        Directory.Delete(aside, recursive: true);
        if (beforeSnapshot)
            File.Delete(Path.Combine(_dir, "snapshot.json"));

        var snapshot = await ReloadAsync();

        Assert.Equal(2, Directory.GetFiles(_dir, "journal-*.log").Length);
        Assert.Equal(130, snapshot.Index);
        Assert.Equal(60, snapshot.Instances.Count);
        Assert.Contains(snapshot.Instances, i => i.Tags.Contains("t130"));
        Assert.Contains(snapshot.Instances, i => i.Tags.Contains("t100"));
    }
}
