namespace Switchboard.Registry.KeyValues;

/// <summary>Where the key/value entries live and are made durable. Store authors implement it; the registry uses it through its key/value service.</summary>
/// <remarks>
/// <para>Every store keeps all entries in memory (a <see cref="KeyValueMirror"/>) and serves reads from there,
/// synchronously; the store owns the atomicity of writes, since on a shared store a <c>cas</c> must be decided where the
/// truth is (Redis: in a script), not in one node's memory. The contract, call by call:</para>
/// <list type="bullet">
/// <item><see cref="LoadAsync"/> is called once, before any read or write: it fills the mirror with what is stored (an
/// in-memory store: nothing).</item>
/// <item><see cref="PutAsync"/> and <see cref="DeleteAsync"/> decide the <c>cas</c> condition, assign the change the next
/// key/value index (strictly increasing, one index per applied change), make the change durable, then show it in the
/// mirror and complete. When the change cannot be made durable the task fails with
/// <see cref="Storage.RegistryStoreUnavailableException"/> and nothing of it is visible or kept: the mirror is unchanged.</item>
/// <item>The mirror's <see cref="KeyValueMirror.Changed"/> completes after every change is visible, so blocking queries
/// wake; a shared store also applies other nodes' changes to the mirror.</item>
/// </list>
/// <para>The key/value index is the store's own, independent of the catalog's index.</para>
/// </remarks>
public interface IKeyValueStore : IAsyncDisposable
{
    /// <summary>The store's kind (<c>memory</c>, <c>embedded</c>, <c>redis</c>).</summary>
    string Kind { get; }

    /// <summary>The entries as last made durable, for reads and blocking queries.</summary>
    KeyValueMirror Mirror { get; }

    /// <summary>Fills <see cref="Mirror"/> with what is stored; called once at start.</summary>
    /// <exception cref="Storage.EmbeddedStoreException">The stored data cannot be read (names the path and the cause).</exception>
    Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="value"/> at <paramref name="key"/> if <paramref name="cas"/> holds (see <see cref="KvWriteResult.CasHolds"/>).</summary>
    /// <param name="key">A valid key (checked by the caller).</param>
    /// <param name="value">The value, kept as given (the caller does not change the array afterwards).</param>
    /// <param name="flags">The flags, at least 0.</param>
    /// <param name="cas">Null: unconditional; 0: create only; N: only if the key's modify index is N.</param>
    /// <param name="cancellationToken">Cancels waiting for the store's turn; a change already written is not undone.</param>
    /// <exception cref="Storage.RegistryStoreUnavailableException">The change could not be made durable; nothing of it was kept.</exception>
    Task<KvWriteResult> PutAsync(string key, byte[] value, long flags, long? cas, CancellationToken cancellationToken);

    /// <summary>Deletes <paramref name="key"/> (or, with <paramref name="recurse"/>, every key starting with it) if <paramref name="cas"/> holds.</summary>
    /// <param name="key">A valid key, or with <paramref name="recurse"/> a prefix (empty: every key).</param>
    /// <param name="recurse">Whether <paramref name="key"/> is a prefix.</param>
    /// <param name="cas">Null: unconditional; N: only if the key's modify index is N (a missing key: applied, nothing to do). Not with <paramref name="recurse"/>.</param>
    /// <param name="cancellationToken">Cancels waiting for the store's turn.</param>
    /// <exception cref="Storage.RegistryStoreUnavailableException">The change could not be made durable; nothing of it was kept.</exception>
    Task<KvWriteResult> DeleteAsync(string key, bool recurse, long? cas, CancellationToken cancellationToken);
}
