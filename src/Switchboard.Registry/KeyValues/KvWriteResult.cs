namespace Switchboard.Registry.KeyValues;

/// <summary>The outcome of a key/value write.</summary>
/// <param name="Applied">False only when the <c>cas</c> condition did not hold (nothing was changed).</param>
/// <param name="Index">
/// When applied: the index the change was stored at (a put's new <see cref="KeyValueEntry.ModifyIndex"/>), or the current
/// key/value index when there was nothing to change (a delete of a missing key). When not applied: the current index.
/// </param>
public readonly record struct KvWriteResult(bool Applied, long Index)
{
    /// <summary>Whether a write conditioned on <paramref name="cas"/> may change <paramref name="current"/>.</summary>
    /// <param name="current">The entry now (null: the key does not exist).</param>
    /// <param name="cas">Null: unconditional. 0: only if the key does not exist. N: only if its modify index is N.</param>
    public static bool CasHolds(KeyValueEntry? current, long? cas) => cas switch
    {
        null => true,
        0 => current is null,
        var n => current is not null && current.ModifyIndex == n,
    };
}
