using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Storage;

public sealed class EmbeddedRegistryStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-store-" + Guid.NewGuid().ToString("N"));

    private EmbeddedRegistryStore NewStore(int compactAfter = 100_000)
        => new(Options.Create(new EmbeddedStoreOptions { DataDirectory = _dir, CompactAfterRecords = compactAfter }), NullLogger<EmbeddedRegistryStore>.Instance);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task StoredBytes_IsTheSnapshotAndJournalSegments_AndZeroForAMissingFolder()
    {
        Assert.Equal(0, ((IStoredSize)NewStore()).StoredBytes());
        await using (var store = NewStore(compactAfter: 3))
        {
            var f = new CatalogFixture(store);
            await f.Catalog.LoadAsync();
            for (var port = 1; port <= 5; port++)
                await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: port)); // compacts once: a snapshot and a segment after it
            await store.Compaction;
        }
        var files = Directory.GetFiles(_dir, "snapshot.json").Concat(Directory.GetFiles(_dir, "journal-*.log")).ToArray();
        Assert.Contains(files, f => f.EndsWith("snapshot.json", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".log", StringComparison.Ordinal) && new FileInfo(f).Length > 0);
        Assert.Equal(files.Sum(f => new FileInfo(f).Length), ((IStoredSize)NewStore()).StoredBytes());
    }

    [Fact]
    public async Task Catalog_RestartOnSameFolder_FindsEveryAcknowledgedChange()
    {
        await using (var store = NewStore())
        {
            var f = new CatalogFixture(store);
            await f.Catalog.LoadAsync();
            await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1));
            var gone = await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2));
            await f.Catalog.RegisterAsync(CatalogFixture.Instance("billing", tags: ["x"]));
            await f.Catalog.DeregisterAsync(gone.Instance.InstanceId);
        }

        await using var reopened = NewStore();
        var g = new CatalogFixture(reopened);
        await g.Catalog.LoadAsync();

        Assert.Equal(4, g.Catalog.Index);
        Assert.Equal([1], g.Catalog.GetService("orders")!.Instances.Select(i => i.Port));
        Assert.Equal(["x"], g.Catalog.GetService("billing")!.Instances.Single().Tags);
        Assert.Equal(4, g.Catalog.GetService("billing")!.Index);
    }

    [Fact]
    public async Task Catalog_RestartAfterServiceLastChangeWasRemoval_ServiceIndexDoesNotGoBack()
    {
        // Found by the history checker (test/Switchboard.Consistency.Tests): a reader saw index 4 (the deregistration)
        // before the restart and the index of the surviving instance (1) after it.
        long before;
        await using (var store = NewStore())
        {
            var f = new CatalogFixture(store);
            await f.Catalog.LoadAsync();
            await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1));
            await f.Catalog.RegisterAsync(CatalogFixture.Instance("billing"));
            var gone = await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2));
            await f.Catalog.DeregisterAsync(gone.Instance.InstanceId);
            before = f.Catalog.GetService("orders")!.Index;
        }

        await using var reopened = NewStore();
        var g = new CatalogFixture(reopened);
        await g.Catalog.LoadAsync();

        Assert.Equal(4, before);
        Assert.True(g.Catalog.GetService("orders")!.Index >= before, $"orders index {g.Catalog.GetService("orders")!.Index} after restart, {before} before");
    }

    [Fact]
    public async Task LoadAsync_TornLastLine_SkippedAndRestKept()
    {
        await using (var store = NewStore())
        {
            var f = new CatalogFixture(store);
            await f.Catalog.LoadAsync();
            await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1));
        }
        await File.AppendAllTextAsync(Directory.GetFiles(_dir, "journal-*.log").Single(), "0badc0de {\"i\":2,\"put\":{\"instance_id\":\"x\",\"serv", TestContext.Current.CancellationToken);

        await using var reopened = NewStore();
        var snapshot = await reopened.LoadAsync(TestContext.Current.CancellationToken);

        Assert.Single(snapshot.Instances);
        Assert.Equal(1, snapshot.Index);
    }

    [Fact]
    public async Task LoadAsync_GarbageLinesBeforeMoreData_Refused()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "journal.log"), "not json\n{}\n[1,2]\n\n", TestContext.Current.CancellationToken);

        await using var store = NewStore();
        var ex = await Assert.ThrowsAsync<StoreCorruptException>(() => store.LoadAsync(TestContext.Current.CancellationToken));

        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public async Task Compaction_FoldsJournalIntoSnapshot_AndReloads()
    {
        await using (var store = NewStore(compactAfter: 100))
        {
            var f = new CatalogFixture(store);
            await f.Catalog.LoadAsync();
            for (var i = 0; i < 250; i++)
                await f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1 + (i % 50), tags: [$"t{i}"]));
        }
        Assert.True(File.Exists(Path.Combine(_dir, "snapshot.json")));
        Assert.True(Directory.GetFiles(_dir, "journal-*.log").Sum(f => new FileInfo(f).Length) < 100 * 1024);

        await using var reopened = NewStore();
        var g = new CatalogFixture(reopened);
        await g.Catalog.LoadAsync();
        Assert.Equal(250, g.Catalog.Index);
        Assert.Equal(50, g.Catalog.InstanceCount);
        Assert.Contains(g.Catalog.GetService("orders")!.Instances, i => i.Tags.Contains("t249"));
    }

    [Fact]
    public async Task SecondStoreOnSameFolder_FailsWithClearMessage()
    {
        await using var first = NewStore();
        await first.LoadAsync(TestContext.Current.CancellationToken);
        await using var second = NewStore();

        var ex = await Assert.ThrowsAsync<EmbeddedStoreException>(() => second.LoadAsync(TestContext.Current.CancellationToken));
        Assert.Contains("in use by another Switchboard agent", ex.Message, StringComparison.Ordinal);
    }
}
