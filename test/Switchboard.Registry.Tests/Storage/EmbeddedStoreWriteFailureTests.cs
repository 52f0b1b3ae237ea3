using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Storage;

/// <summary>A batch the disk refuses (a full 1 MB tmpfs; tests run as root here) leaves nothing behind.</summary>
public sealed class EmbeddedStoreWriteFailureTests : IAsyncLifetime
{
    private readonly string _mount = Path.Combine(Path.GetTempPath(), "sb-full-" + Guid.NewGuid().ToString("N"));
    private string? _skip;

    private string DataDir => Path.Combine(_mount, "data");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_mount);
        var (exit, error) = await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", _mount);
        if (exit != 0)
            _skip = $"mount -t tmpfs is not permitted here ({error.Trim()}); the full-disk path is not covered by this test";
    }

    public async ValueTask DisposeAsync()
    {
        if (_skip is null && (await RunAsync("umount", _mount)).Exit != 0)
            await RunAsync("umount", "-l", _mount);
        Directory.Delete(_mount, recursive: true);
    }

    private static async Task<(int Exit, string Error)> RunAsync(string file, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }

    private EmbeddedRegistryStore NewStore(int compactAfter = 100_000)
        => new(Options.Create(new EmbeddedStoreOptions { DataDirectory = DataDir, CompactAfterRecords = compactAfter }), NullLogger<EmbeddedRegistryStore>.Instance);

    private static Dictionary<string, string> Big() => Enumerable.Range(0, 60).ToDictionary(i => $"k{i}", i => new string('x', 500));

    [Fact]
    public async Task FailedBatch_IsCutBack_RefusedAsUnavailable_NeverLoaded_AndNotInTheNextSnapshot()
    {
        Assert.SkipWhen(_skip is not null, _skip ?? "");
        var filler = Path.Combine(_mount, "filler");
        await using (var store = NewStore(compactAfter: 100))
        {
            await store.LoadAsync(TestContext.Current.CancellationToken);
            await store.PersistAsync(StoreWrite.Put(1, CatalogFixture.Instance(port: 1)));
            var segment = Directory.GetFiles(DataDir, "journal-*.log").Single();
            var good = new FileInfo(segment).Length;
            await FillAsync(filler);

            var refused = await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => store.PersistAsync(StoreWrite.Put(2, CatalogFixture.Instance(port: 2, metadata: Big()))));

            Assert.Contains(DataDir, refused.Message, StringComparison.Ordinal);
            Assert.Contains("No space left on device", refused.Message, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
            Assert.Equal("degraded", store.Health.Status);
            Assert.Equal(good, new FileInfo(segment).Length);

            File.Delete(filler);
            for (var i = 3; i <= 102; i++) // passes CompactAfterRecords: the snapshot is made of the shadow state
                await store.PersistAsync(StoreWrite.Put(i, CatalogFixture.Instance(port: i)));
            Assert.Equal("ok", store.Health.Status);
        }

        await using var reopened = NewStore();
        var snapshot = await reopened.LoadAsync(TestContext.Current.CancellationToken);
        Assert.True(File.Exists(Path.Combine(DataDir, "snapshot.json")));
        Assert.Equal(Enumerable.Range(1, 102).Where(p => p != 2), snapshot.Instances.Select(i => i.Port).Order());
    }

    private static async Task FillAsync(string path)
    {
        var chunk = new byte[4096];
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
                await file.WriteAsync(chunk, TestContext.Current.CancellationToken);
        }
        catch (IOException)
        {
            // full
        }
    }
}
