using System.Runtime;
using Switchboard.Instances;
using Switchboard.Registration;
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
            Assert.Equal(HugePageAdvice.CurrentPolicy() == HugePageAdvice.Policy.Madvise, pause.HugePages);
            var kept = new List<byte[]>();
            for (var i = 0; i < 1_000; i++)
                kept.Add(new byte[16 * 1024]); // 16 MB, well inside the region
            Assert.Equal(collections, GC.CollectionCount(0));
            GC.KeepAlive(kept);
        }
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void HugePagesNotWanted_AreNotAskedFor()
    {
        using var pause = CollectionPause.Begin(Large, Plenty, adviseHugePages: false);
        Assert.True(pause.Started);
        Assert.False(pause.HugePages);
    }

    [Fact]
    public void RegionLargerThanHalfTheMemory_IsNotTaken()
    {
        using var pause = CollectionPause.Begin(Large, availableMemoryBytes: (long)(Large * CollectionPause.RegionBytesPerFileByte * 2) - 1);
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

    [Fact]
    public void RegionEndedEarly_ThenAnotherRegionStarted_IsLeftToItsOwner()
    {
        var pause = CollectionPause.Begin(Large, Plenty);
        Assert.True(pause.Started);
        GC.Collect(); // ends this pause's region
        Assert.True(GC.TryStartNoGCRegion(16 * 1024 * 1024)); // someone else's
        try
        {
            pause.Dispose();
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        finally
        {
            GC.EndNoGCRegion(); // would throw had the pause ended it
        }
    }

    private static ServiceInstance Checked(int i) => CatalogFixture.Instance(service: $"svc-{i % 10}", port: 1000 + i,
        check: new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = $"http://10.1.0.1:{1000 + i}/health", Interval = TimeSpan.FromSeconds(10), Id = $"http-{i}" });

    private static (SizedSnapshotStore Store, CatalogFixture Fixture) LargeStore(long storedBytes, bool pauseOption = true, Exception? failure = null)
    {
        // Every instance has an HTTP check: its scheduling, during the index build, notes the mode then.
        var instances = Enumerable.Range(0, 100).Select(i => Checked(i) with { CreateIndex = i + 1, ModifyIndex = i + 1 }).ToArray();
        var store = new SizedSnapshotStore(new StoreSnapshot(instances.Length, instances), storedBytes, failure);
        var fixture = new CatalogFixture(store);
        fixture.Options.PauseCollectionsDuringLoad = pauseOption; // the catalog reads its options at load
        return (store, fixture);
    }

    [Theory]
    [InlineData(CollectionPause.MinimumFileBytes, true, GCLatencyMode.NoGCRegion)]
    [InlineData(CollectionPause.MinimumFileBytes, false, null)]
    [InlineData(1024, true, null)]
    public async Task CatalogLoad_OfALargeStore_RunsInTheRegion_UnlessTurnedOff_AndEndsIt(long storedBytes, bool pauseOption, GCLatencyMode? expected)
    {
        var before = GCSettings.LatencyMode;
        var (store, f) = LargeStore(storedBytes, pauseOption);
        var modesWhileBuilding = new List<GCLatencyMode>();
        f.Catalog.ActiveCheckScheduled += _ => modesWhileBuilding.Add(GCSettings.LatencyMode);

        await f.Catalog.LoadAsync();

        Assert.Equal(expected ?? before, store.ModeDuringLoad);
        Assert.Equal(100, modesWhileBuilding.Count);
        Assert.All(modesWhileBuilding, mode => Assert.Equal(expected ?? before, mode));
        Assert.Equal(before, GCSettings.LatencyMode);
        Assert.Equal(100, f.Catalog.InstanceCount);
    }

    [Fact]
    public async Task CatalogLoad_ThatFails_EndsTheRegion()
    {
        var before = GCSettings.LatencyMode;
        var (store, f) = LargeStore(CollectionPause.MinimumFileBytes, failure: new IOException("disk gone"));

        await Assert.ThrowsAsync<IOException>(() => f.Catalog.LoadAsync());

        Assert.Equal(GCLatencyMode.NoGCRegion, store.ModeDuringLoad);
        Assert.Equal(before, GCSettings.LatencyMode);
    }
}
