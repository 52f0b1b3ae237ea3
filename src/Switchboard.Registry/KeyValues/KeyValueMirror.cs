using System.Collections.Immutable;

namespace Switchboard.Registry.KeyValues;

/// <summary>
/// A store's in-memory copy of every key/value entry: immutable states swapped on each change, so reads never lock;
/// the change signal that wakes blocking queries; and the deletion marks (tombstones) that let a blocking query on a
/// deleted key see its deletion.
/// </summary>
/// <remarks>
/// <para>Stores call <see cref="Reset"/>, <see cref="Put"/>, <see cref="Delete"/> and <see cref="DeleteTree"/> once a
/// change is durable (or, on a shared store, once another node's change arrives); a change older than what the mirror
/// holds for that key is ignored, so a change seen twice is harmless.</para>
/// <para>The watch index of a key (or a prefix) is the highest index of a change to it: its entries' modify indexes and
/// its tombstones. At most <see cref="MaxTombstones"/> tombstones are kept; the oldest half is dropped past that, and the
/// highest dropped index (or the index loaded at start) becomes a floor under every watch index, so a blocking query
/// never misses a deletion (it may wake once for nothing).</para>
/// </remarks>
public sealed class KeyValueMirror
{
    /// <summary>The most deletion marks kept.</summary>
    public const int MaxTombstones = 16_384;

    private readonly Lock _write = new();
    private State _state = State.Empty;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>The highest key/value index the mirror has seen (0 when nothing was ever written).</summary>
    public long Index => Volatile.Read(ref _state).Index;

    /// <summary>How many keys there are.</summary>
    public int Count => Volatile.Read(ref _state).Entries.Count;

    /// <summary>The total length of every value.</summary>
    public long TotalValueBytes => Volatile.Read(ref _state).Bytes;

    /// <summary>A task that completes at the next change (take it before reading what it guards).</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    /// <summary>The entry of <paramref name="key"/>, or null.</summary>
    public KeyValueEntry? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Volatile.Read(ref _state).Entries.TryGetValue(key, out var entry) ? entry : null;
    }

    /// <summary>Every entry whose key starts with <paramref name="prefix"/> (empty: all), sorted by key (ordinal).</summary>
    public IReadOnlyList<KeyValueEntry> List(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return [.. Under(Volatile.Read(ref _state).Entries, prefix)];
    }

    /// <summary>The entries of <paramref name="entries"/> whose key starts with <paramref name="prefix"/>, in key order.</summary>
    private static IEnumerable<KeyValueEntry> Under(ImmutableSortedDictionary<string, KeyValueEntry> entries, string prefix)
    {
        foreach (var (key, entry) in entries)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
                yield return entry;
            else if (string.CompareOrdinal(key, prefix) > 0)
                yield break; // sorted: nothing further starts with the prefix
        }
    }

    /// <summary>
    /// The highest index of a change to <paramref name="key"/> (or, with <paramref name="prefix"/>, to any key starting with
    /// it), never below the floor: what a blocking query compares with the index its client has seen.
    /// </summary>
    public long WatchIndex(string key, bool prefix)
    {
        ArgumentNullException.ThrowIfNull(key);
        var state = Volatile.Read(ref _state);
        if (prefix && key.Length == 0)
            return state.Index;
        var index = state.Floor;
        if (!prefix)
        {
            if (state.Entries.TryGetValue(key, out var entry))
                index = Math.Max(index, entry.ModifyIndex);
            if (state.Tombstones.TryGetValue(key, out var deleted))
                index = Math.Max(index, deleted);
            return index;
        }
        foreach (var entry in Under(state.Entries, key))
            index = Math.Max(index, entry.ModifyIndex);
        foreach (var (deletedKey, deleted) in state.Tombstones)
        {
            if (deleted > index && deletedKey.StartsWith(key, StringComparison.Ordinal))
                index = deleted;
        }
        return index;
    }

    /// <summary>Replaces everything with <paramref name="entries"/> at <paramref name="index"/> (a load or a reload); wakes every blocking query.</summary>
    public void Reset(IEnumerable<KeyValueEntry> entries, long index)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, KeyValueEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
            builder[entry.Key] = entry;
        var bytes = builder.Values.Sum(e => (long)e.Value.Length);
        lock (_write)
        {
            var floor = Math.Max(index, _state.Index); // what a client saw before the reload may be gone: every watch wakes once
            Publish(new State(builder.ToImmutable(), State.Empty.Tombstones, floor, floor, bytes));
        }
    }

    /// <summary>Shows <paramref name="entry"/> (created or replaced at its <see cref="KeyValueEntry.ModifyIndex"/>); ignored when the mirror holds a newer change to the key.</summary>
    public void Put(KeyValueEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_write)
        {
            var state = _state;
            var exists = state.Entries.TryGetValue(entry.Key, out var current);
            if (exists && current!.ModifyIndex >= entry.ModifyIndex
                || state.Tombstones.TryGetValue(entry.Key, out var deleted) && deleted >= entry.ModifyIndex)
                return;
            Publish(state with
            {
                Entries = state.Entries.SetItem(entry.Key, entry),
                Tombstones = state.Tombstones.Remove(entry.Key),
                Index = Math.Max(state.Index, entry.ModifyIndex),
                Bytes = state.Bytes - (exists ? current!.Value.Length : 0) + entry.Value.Length,
            });
        }
    }

    /// <summary>Removes <paramref name="key"/> at <paramref name="index"/>, leaving a tombstone; ignored when the key changed after it.</summary>
    /// <returns>Whether the key was there.</returns>
    public bool Delete(string key, long index)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_write)
        {
            var state = _state;
            if (!state.Entries.TryGetValue(key, out var current) || current.ModifyIndex >= index)
            {
                if (index > state.Index)
                    Publish(state with { Index = index }); // another node's change to a key this node never saw
                return false;
            }
            Publish(Trim(state with
            {
                Entries = state.Entries.Remove(key),
                Tombstones = state.Tombstones.SetItem(key, index),
                Index = Math.Max(state.Index, index),
                Bytes = state.Bytes - current.Value.Length,
            }));
            return true;
        }
    }

    /// <summary>Removes every key starting with <paramref name="prefix"/> at <paramref name="index"/> (keys changed after it stay).</summary>
    /// <returns>The keys removed.</returns>
    public IReadOnlyList<string> DeleteTree(string prefix, long index)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_write)
        {
            var state = _state;
            var removed = new List<string>();
            var bytes = state.Bytes;
            var entries = state.Entries.ToBuilder();
            var tombstones = state.Tombstones.ToBuilder();
            foreach (var entry in List(prefix))
            {
                if (entry.ModifyIndex >= index)
                    continue;
                entries.Remove(entry.Key);
                tombstones[entry.Key] = index;
                removed.Add(entry.Key);
                bytes -= entry.Value.Length;
            }
            if (removed.Count > 0 || index > state.Index)
            {
                Publish(Trim(state with
                {
                    Entries = entries.ToImmutable(),
                    Tombstones = tombstones.ToImmutable(),
                    Index = Math.Max(state.Index, index),
                    Bytes = bytes,
                }));
            }
            return removed;
        }
    }

    private static State Trim(State state)
    {
        if (state.Tombstones.Count <= MaxTombstones)
            return state;
        var dropped = state.Tombstones.OrderBy(t => t.Value).Take(state.Tombstones.Count / 2).ToList();
        return state with
        {
            Tombstones = state.Tombstones.RemoveRange(dropped.Select(t => t.Key)),
            Floor = Math.Max(state.Floor, dropped[^1].Value),
        };
    }

    private void Publish(State state)
    {
        Volatile.Write(ref _state, state);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record State(ImmutableSortedDictionary<string, KeyValueEntry> Entries, ImmutableDictionary<string, long> Tombstones, long Index, long Floor, long Bytes)
    {
        public static readonly State Empty = new(
            ImmutableSortedDictionary.Create<string, KeyValueEntry>(StringComparer.Ordinal),
            ImmutableDictionary.Create<string, long>(StringComparer.Ordinal), 0, 0, 0);
    }
}
