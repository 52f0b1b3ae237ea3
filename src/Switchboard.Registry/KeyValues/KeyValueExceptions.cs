namespace Switchboard.Registry.KeyValues;

/// <summary>A key/value request the engine refuses as invalid; <see cref="Field"/> names the wire field at fault.</summary>
internal sealed class KeyValueValidationException(string field, string message) : ArgumentException(message)
{
    /// <summary>The field at fault (<c>key</c>, <c>flags</c>, <c>cas</c>, <c>value</c>).</summary>
    public string Field { get; } = field;
}

/// <summary>The store holds <see cref="KeyValueOptions.MaxKeys"/> keys or <see cref="KeyValueOptions.MaxTotalValueBytes"/> bytes: a new key or a larger value is refused (503).</summary>
internal sealed class KeyValueStoreFullException(string message) : InvalidOperationException(message);
