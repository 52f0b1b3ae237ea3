namespace Switchboard.KeyValues;

/// <summary>The bounds of the key/value store, shared by the agent, the CLI and the SDK.</summary>
public static class KeyValueLimits
{
    /// <summary>The largest value: 512 KiB, Consul's <c>kv_max_value_size</c> default.</summary>
    public const int MaxValueBytes = 512 * 1024;

    /// <summary>The longest key, in UTF-8 bytes.</summary>
    public const int MaxKeyBytes = 512;
}
