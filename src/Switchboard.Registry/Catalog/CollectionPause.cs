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
/// it) means it is not, and a region in place then belongs to someone else.
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

    private CollectionPause(bool started)
    {
        _started = started;
        _collectionsAtStart = GC.CollectionCount(0); // counts every collection, of any generation
    }

    /// <summary>Whether this pause holds a no-GC region (false when the load is small, memory is short or another region is in place).</summary>
    public bool Started => _started;

    /// <summary>Starts a pause for loading <paramref name="fileBytes"/> of stored data, when worth it and possible.</summary>
    /// <param name="fileBytes">The size of the files the load reads.</param>
    /// <param name="availableMemoryBytes">The memory the process may use; by default what the runtime reports.</param>
    public static CollectionPause Begin(long fileBytes, long? availableMemoryBytes = null)
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
            return new CollectionPause(GC.TryStartNoGCRegion(regionBytes, (long)(fileBytes * LargeObjectBytesPerFileByte)));
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
