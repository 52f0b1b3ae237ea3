using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Storage;

/// <summary>Checksums, torn tails, corrupt records and old-format files of the embedded store.</summary>
public sealed class EmbeddedStoreIntegrityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-integrity-" + Guid.NewGuid().ToString("N"));

    private EmbeddedRegistryStore NewStore(bool recover = false)
        => new(Options.Create(new EmbeddedStoreOptions { DataDirectory = _dir, Recover = recover }), NullLogger<EmbeddedRegistryStore>.Instance);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    private string Segment => Directory.GetFiles(_dir, "journal-*.log").Single();

    private async Task WriteAsync(int count, int from = 1)
    {
        await using var store = NewStore();
        await store.LoadAsync(TestContext.Current.CancellationToken);
        for (var i = from; i < from + count; i++)
            await store.PersistAsync(StoreWrite.Put(i, CatalogFixture.Instance(port: i)));
    }

    private async Task<StoreSnapshot> LoadAsync(bool recover = false)
    {
        await using var store = NewStore(recover);
        return await store.LoadAsync(TestContext.Current.CancellationToken);
    }

    private static long OffsetOfLine(byte[] bytes, int line)
    {
        var offset = 0;
        for (var i = 1; i < line; i++)
            offset = Array.IndexOf(bytes, (byte)'\n', offset) + 1;
        return offset;
    }

    [Fact]
    public async Task TornTail_IsCutBack_SoTheNextRecordIsKept()
    {
        await WriteAsync(2);
        var whole = new FileInfo(Segment).Length;
        await File.AppendAllTextAsync(Segment, "1234abcd {\"i\":3,\"put\":{\"instance_id\":\"x", TestContext.Current.CancellationToken);

        await WriteAsync(1, from: 3); // loads (cutting the tail back), then appends
        var snapshot = await LoadAsync();

        Assert.Equal(3, snapshot.Index);
        Assert.Equal([1, 2, 3], snapshot.Instances.Select(i => i.Port).Order());
        Assert.True(new FileInfo(Segment).Length > whole);
    }

    [Fact]
    public async Task DamagedLastLine_WithNothingAfterIt_IsCutBackAsATornTail()
    {
        await WriteAsync(3);
        var bytes = await File.ReadAllBytesAsync(Segment, TestContext.Current.CancellationToken);
        var last = OffsetOfLine(bytes, 3);
        bytes[last + 30] ^= 0x01;
        await File.WriteAllBytesAsync(Segment, bytes, TestContext.Current.CancellationToken);

        var snapshot = await LoadAsync();

        Assert.Equal(2, snapshot.Index);
        Assert.Equal(last, new FileInfo(Segment).Length);
    }

    [Fact]
    public async Task ChecksumMismatchInAMiddleRecord_ThrowsNamingFileAndOffset()
    {
        await WriteAsync(3);
        var bytes = await File.ReadAllBytesAsync(Segment, TestContext.Current.CancellationToken);
        var second = OffsetOfLine(bytes, 2);
        bytes[second + 40] ^= 0x04;
        await File.WriteAllBytesAsync(Segment, bytes, TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<StoreCorruptException>(() => LoadAsync());

        Assert.Equal(Segment, ex.FilePath);
        Assert.Equal(second, ex.Offset);
        Assert.Contains($"{Segment}: corrupt record at offset {second} (checksum mismatch", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task ChecksumMismatchInAMiddleRecord_WithRecover_DropsOnlyIt_AndTheNextStartNeedsNoRecover()
    {
        await WriteAsync(3);
        var bytes = await File.ReadAllBytesAsync(Segment, TestContext.Current.CancellationToken);
        bytes[OffsetOfLine(bytes, 2) + 40] ^= 0x04;
        await File.WriteAllBytesAsync(Segment, bytes, TestContext.Current.CancellationToken);

        var recovered = await LoadAsync(recover: true);
        var again = await LoadAsync();

        Assert.Equal([1, 3], recovered.Instances.Select(i => i.Port).Order());
        Assert.Equal(3, recovered.Index);
        Assert.Equal([1, 3], again.Instances.Select(i => i.Port).Order());
        Assert.Single(Directory.GetFiles(_dir, "*.damaged"));
    }

    [Fact]
    public async Task SnapshotWithAChangedByte_Throws_AndWithRecover_StartsFromTheJournal()
    {
        await using (var store = new EmbeddedRegistryStore(Options.Create(new EmbeddedStoreOptions { DataDirectory = _dir, CompactAfterRecords = 100 }), NullLogger<EmbeddedRegistryStore>.Instance))
        {
            await store.LoadAsync(TestContext.Current.CancellationToken);
            for (var i = 1; i <= 105; i++)
                await store.PersistAsync(StoreWrite.Put(i, CatalogFixture.Instance(port: i)));
        }
        var snapshotPath = Path.Combine(_dir, "snapshot.json");
        var text = await File.ReadAllTextAsync(snapshotPath, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(snapshotPath, text.Replace("\"port\":42,", "\"port\":43,", StringComparison.Ordinal), TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<StoreCorruptException>(() => LoadAsync());
        var recovered = await LoadAsync(recover: true);

        Assert.Equal(snapshotPath, ex.FilePath);
        Assert.Contains("checksum mismatch", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(101, 5), recovered.Instances.Select(i => i.Port).Order()); // what the journal held after the snapshot
        Assert.True(File.Exists(snapshotPath + ".damaged"));
    }

    [Fact]
    public async Task FilesOfThePreviousVersion_WithoutChecksums_LoadAndTakeNewRecords()
    {
        Directory.CreateDirectory(_dir);
        await File.WriteAllTextAsync(Path.Combine(_dir, "snapshot.json"),
            """{"format":1,"index":1,"instances":[{"instance_id":"orders-10.0.0.1-1","service_name":"orders","host":"10.0.0.1","port":1}]}""",
            TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_dir, "journal.log"),
            """
            {"i":1,"put":{"instance_id":"orders-10.0.0.1-1","service_name":"orders","host":"10.0.0.1","port":1}}
            {"i":2,"put":{"instance_id":"orders-10.0.0.1-2","service_name":"orders","host":"10.0.0.1","port":2}}

            """, TestContext.Current.CancellationToken);

        await WriteAsync(1, from: 3);
        var snapshot = await LoadAsync();

        Assert.Equal(3, snapshot.Index);
        Assert.Equal([1, 2, 3], snapshot.Instances.Select(i => i.Port).Order());
        var lines = await File.ReadAllLinesAsync(Path.Combine(_dir, "journal.log"), TestContext.Current.CancellationToken);
        Assert.Matches("^[0-9a-f]{8} \\{\"i\":3,", lines[^1]);
    }

    [Fact]
    public async Task ALineWithoutAChecksumInANewSegment_IsRefused()
    {
        await WriteAsync(2);
        var lines = await File.ReadAllLinesAsync(Segment, TestContext.Current.CancellationToken);
        await File.WriteAllLinesAsync(Segment, [lines[0], "{\"i\":2,\"del\":\"orders-10.0.0.1-1\"}", lines[1]], TestContext.Current.CancellationToken);

        var ex = await Assert.ThrowsAsync<StoreCorruptException>(() => LoadAsync());

        Assert.Contains("without a checksum", ex.Reason, StringComparison.Ordinal);
    }
}
