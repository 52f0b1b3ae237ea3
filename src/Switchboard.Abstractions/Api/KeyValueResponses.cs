namespace Switchboard.Api;

/// <summary>One key/value entry as the native API shows it.</summary>
/// <param name="Key">The key (without a leading <c>/</c>).</param>
/// <param name="Value">The value's bytes (base64 in JSON).</param>
/// <param name="Flags">The opaque number stored with the value.</param>
/// <param name="CreateIndex">The key/value index at which the key was created.</param>
/// <param name="ModifyIndex">The key/value index of the key's last change (what <c>?cas=</c> compares).</param>
public sealed record KeyValueResponse(string Key, byte[] Value, long Flags, long CreateIndex, long ModifyIndex);

/// <summary>The answer to a key/value write.</summary>
/// <param name="Key">The key written.</param>
/// <param name="ModifyIndex">The key's new modify index.</param>
public sealed record KeyValueWriteResponse(string Key, long ModifyIndex);
