namespace Switchboard.Registry.KeyValues;

/// <summary>The store's size limits (<see cref="KeyValueOptions.MaxKeys"/>, <see cref="KeyValueOptions.MaxTotalValueBytes"/>), checked where a put is decided.</summary>
internal static class KeyValueQuota
{
    /// <summary>Refuses a put of <paramref name="valueLength"/> bytes at a key holding <paramref name="current"/> (null: a new key) that would pass a limit; a replacement no larger always passes.</summary>
    /// <exception cref="KeyValueStoreFullException">A new key past <see cref="KeyValueOptions.MaxKeys"/>, or values growing past <see cref="KeyValueOptions.MaxTotalValueBytes"/>.</exception>
    public static void ThrowIfFull(KeyValueOptions limits, KeyValueMirror mirror, KeyValueEntry? current, int valueLength)
    {
        if (current is null && mirror.Count >= limits.MaxKeys)
            throw new KeyValueStoreFullException($"The key/value store holds its limit of {limits.MaxKeys} keys (Switchboard:KeyValues:MaxKeys); delete keys or raise the limit.");
        var held = current?.Value.Length ?? 0;
        if (valueLength > held && mirror.TotalValueBytes - held + valueLength > limits.MaxTotalValueBytes)
            throw new KeyValueStoreFullException($"The key/value store holds its limit of {limits.MaxTotalValueBytes} bytes of values (Switchboard:KeyValues:MaxTotalValueBytes); delete keys or raise the limit.");
    }
}
