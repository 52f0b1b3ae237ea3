using System.Runtime;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Catalog;

/// <summary>The no-GC region is process-wide: these tests run alone.</summary>
[CollectionDefinition(nameof(CollectionPauseTests), DisableParallelization = true)]
public sealed class CollectionPauseCollection;

/// <summary>A large load holds collections off, and every way out of that leaves the runtime as it was.</summary>
[Collection(nameof(CollectionPauseTests))]
public sealed class CollectionPauseTests
{
    private const long Large = CollectionPause.MinimumFileBytes;
    private const long Plenty = 64L * 1024 * 1024 * 1024;

    [Fact]
    public void SmallLoad_TakesNoPause()
    {
        var before = GCSettings.LatencyMode;
        using var pause = CollectionPause.Begin(Large - 1, Plenty);
        Assert.False(pause.Started);
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void LargeLoad_CollectsNothingUntilDisposed_ThenTheModeIsBack()
    {
        var before = GCSettings.LatencyMode;
        using (var pause = CollectionPause.Begin(Large, Plenty)) // starting the region may collect first
        {
            var collections = GC.CollectionCount(0);
            Assert.True(pause.Started);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            var kept = new List<byte[]>();
            for (var i = 0; i < 1_000; i++)
                kept.Add(new byte[16 * 1024]); // 16 MB, well inside the region
            Assert.Equal(collections, GC.CollectionCount(0));
            GC.KeepAlive(kept);
        }
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void RegionLargerThanHalfTheMemory_IsNotTaken()
    {
        using var pause = CollectionPause.Begin(Large, availableMemoryBytes: (long)(Large * CollectionPause.AllocatedBytesPerFileByte * 2) - 1);
        Assert.False(pause.Started);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void SecondPause_WhileOneHolds_IsNotTaken_AndItsEndLeavesTheFirstInPlace()
    {
        using var first = CollectionPause.Begin(Large, Plenty);
        using (var second = CollectionPause.Begin(Large, Plenty))
            Assert.False(second.Started);
        Assert.True(first.Started);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void RegionEndedEarly_ByAnInducedCollection_DisposesQuietly_AndANewPauseCanStart()
    {
        var before = GCSettings.LatencyMode;
        var pause = CollectionPause.Begin(Large, Plenty);
        Assert.True(pause.Started);
        GC.Collect(); // ends the region
        pause.Dispose();
        Assert.Equal(before, GCSettings.LatencyMode);

        using var again = CollectionPause.Begin(Large, Plenty);
        Assert.True(again.Started);
    }

    [Theory]
    [InlineData(CollectionPause.MinimumFileBytes, GCLatencyMode.NoGCRegion)]
    [InlineData(1024, null)]
    public async Task CatalogLoad_OfALargeStore_RunsInTheRegion_AndEndsIt(long storedBytes, GCLatencyMode? expected)
    {
        var before = GCSettings.LatencyMode;
        var instances = Enumerable.Range(0, 100).Select(i => CatalogFixture.Instance(service: $"svc-{i % 10}", port: 1000 + i) with { CreateIndex = i + 1, ModifyIndex = i + 1 }).ToArray();
        var store = new SizedSnapshotStore(new StoreSnapshot(instances.Length, instances), storedBytes);
        var f = new CatalogFixture(store);

        await f.Catalog.LoadAsync();

        Assert.Equal(expected ?? before, store.ModeDuringLoad);
        Assert.Equal(before, GCSettings.LatencyMode);
        Assert.Equal(instances.Length, f.Catalog.InstanceCount);
    }
}
