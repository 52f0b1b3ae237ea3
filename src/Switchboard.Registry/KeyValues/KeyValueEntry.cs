namespace Switchboard.Registry.KeyValues;

/// <summary>One key and its value, as Consul's KV entry without sessions (<c>LockIndex</c>, <c>Session</c>).</summary>
/// <param name="Key">The key, without a leading <c>/</c>.</param>
/// <param name="Value">The value's bytes, stored as given (never copied or changed by the store).</param>
/// <param name="Flags">An opaque number the writer stores with the value (Consul's <c>flags</c>), at least 0.</param>
/// <param name="CreateIndex">The key/value index at which the key was created.</param>
/// <param name="ModifyIndex">The key/value index of the key's last change: what a <c>cas</c> write compares.</param>
public sealed record KeyValueEntry(string Key, byte[] Value, long Flags, long CreateIndex, long ModifyIndex);
