namespace Switchboard.Registry.KeyValues;

/// <summary>One applied key/value change at index <c>i</c>: a put, the removal of one key (<c>del</c>) or of every key under a prefix (<c>tree</c>).</summary>
/// <remarks>Also the line format of the embedded store's journal.</remarks>
internal sealed record KeyValueRecord(long I, KeyValueEntry? Put = null, string? Del = null, string? Tree = null)
{
    /// <summary>Applies the change to <paramref name="mirror"/>.</summary>
    public void ApplyTo(KeyValueMirror mirror)
    {
        if (Put is not null)
            mirror.Put(Put);
        else if (Del is not null)
            mirror.Delete(Del, I);
        else if (Tree is not null)
            mirror.DeleteTree(Tree, I);
    }

    /// <summary>Whether the record names exactly one change, at an index.</summary>
    public bool IsWhole() => (Put is null ? 0 : 1) + (Del is null ? 0 : 1) + (Tree is null ? 0 : 1) == 1 && I > 0;
}
