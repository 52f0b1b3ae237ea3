using System.Runtime;

namespace Switchboard.Registry.Catalog;

/// <summary>
/// Holds garbage collections off while a large catalog loads. Nearly everything a load allocates stays alive (the
/// instances, their state and the indexes over them), so the collections that would run meanwhile find little garbage
/// and spend their time marking and promoting what survives: at a million instances about a hundred of them, a second
/// of a seven-second start. One collection after the load does that work once.
/// </summary>
/// <remarks>
/// The pause is a process-wide no-GC region (<see cref="GC.TryStartNoGCRegion(long, long)"/>) sized from the stored
/// files: 2.5x them for small objects and as much again as the files for large ones (the runtime commits both budgets up front). It is only taken for files
/// of at least <see cref="MinimumFileBytes"/>, when the region fits in half of the memory the process may use, and when
/// no other region is in place; when the load allocates more than the region holds, the runtime simply collects and the
/// pause is over. Disposing ends the region only if it is still this pause's: any collection since the start (which ends
/// it) means it is not, and a region in place then belongs to someone else. While the pause holds, the region's memory
/// is advised for huge pages where the kernel wants to be asked (<see cref="HugePageAdvice"/>).
/// </remarks>
internal sealed class CollectionPause : IDisposable
{
    /// <summary>Below this much stored data a load is short and its collections few: no pause.</summary>
    internal const long MinimumFileBytes = 32L * 1024 * 1024;

    /// <summary>
    /// What a load allocates in small objects per byte of stored JSON, with room to spare (measured: 761 MB in all for a
    /// 397 MB snapshot of a million instances, parse and indexes together, of which about 150 MB large arrays).
    /// </summary>
    internal const double SmallObjectBytesPerFileByte = 2.5;

    /// <summary>What a load allocates in large objects (the tables' and lists' arrays) per byte of stored JSON, with room to spare.</summary>
    internal const double LargeObjectBytesPerFileByte = 1.0;

    /// <summary>The whole region per byte of stored JSON: both budgets, which the runtime commits up front.</summary>
    internal const double RegionBytesPerFileByte = SmallObjectBytesPerFileByte + LargeObjectBytesPerFileByte;

    private bool _started;
    private readonly int _collectionsAtStart;

    private readonly (nint Start, long Length)? _hugePages;

    private CollectionPause(bool started, (nint Start, long Length)? hugePages = null)
    {
        _started = started;
        _hugePages = hugePages;
        _collectionsAtStart = GC.CollectionCount(0); // counts every collection, of any generation
    }

    /// <summary>Whether this pause holds a no-GC region (false when the load is small, memory is short or another region is in place).</summary>
    public bool Started => _started;

    /// <summary>Whether the region's memory was advised for huge pages (<see cref="HugePageAdvice"/>) until the pause ends.</summary>
    public bool HugePages => _hugePages is not null;

    /// <summary>Starts a pause for loading <paramref name="fileBytes"/> of stored data, when worth it and possible.</summary>
    /// <param name="fileBytes">The size of the files the load reads.</param>
    /// <param name="availableMemoryBytes">The memory the process may use; by default what the runtime reports.</param>
    /// <param name="adviseHugePages">Whether to ask for huge pages for the region's memory (<see cref="HugePageAdvice"/>) once it is in place.</param>
    public static CollectionPause Begin(long fileBytes, long? availableMemoryBytes = null, bool adviseHugePages = true)
    {
        if (fileBytes < MinimumFileBytes)
            return new CollectionPause(false);
        var regionBytes = (long)(fileBytes * RegionBytesPerFileByte);
        if (regionBytes > (availableMemoryBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) / 2)
            return new CollectionPause(false);
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            return new CollectionPause(false); // another pause, or someone else's region
        try
        {
            if (!GC.TryStartNoGCRegion(regionBytes, (long)(fileBytes * LargeObjectBytesPerFileByte)))
                return new CollectionPause(false);
            return new CollectionPause(true, adviseHugePages ? HugePageAdvice.AdviseForNextAllocations(regionBytes) : null);
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException)
        {
            return new CollectionPause(false); // larger than the runtime allows, or a region started elsewhere meanwhile: load as usual
        }
    }

    /// <summary>Ends the region if it is still in place (an induced collection or an allocation beyond it ends it early).</summary>
    public void Dispose()
    {
        if (!_started)
            return;
        _started = false;
        if (_hugePages is { } advised)
            HugePageAdvice.Withdraw(advised);
        if (GCSettings.LatencyMode != GCLatencyMode.NoGCRegion || GC.CollectionCount(0) != _collectionsAtStart)
            return; // over already; a region in place now was started by someone else
        try
        {
            GC.EndNoGCRegion();
        }
        catch (InvalidOperationException)
        {
            // The region was already over (a collection was induced, or the load allocated more than it held).
        }
    }
}
