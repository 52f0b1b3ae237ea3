using System.ComponentModel.DataAnnotations;

namespace Switchboard.Registry.KeyValues;

/// <summary>Settings of the key/value store, bound from <c>Switchboard:KeyValues</c>.</summary>
public sealed class KeyValueOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Switchboard:KeyValues";

    /// <summary>
    /// Keys starting with this prefix are secrets: readable only by a token with an explicit <c>key</c> or <c>key_prefix</c>
    /// read rule covering them (or a management token), never through the default policy, never listed to others, and
    /// refused to everyone while ACLs are off. Empty: no key is a secret.
    /// </summary>
    /// <value>The default value is <c>secrets/</c>.</value>
    [MaxLength(512)]
    public string SecretsPrefix { get; set; } = "secrets/";

    /// <summary>The most keys the store holds; a put of a new key past it is refused (503).</summary>
    /// <value>The default value is 100,000.</value>
    [Range(1, 100_000_000)]
    public int MaxKeys { get; set; } = 100_000;

    /// <summary>The most bytes of values the store holds (keys excluded); a put past it is refused (503).</summary>
    /// <value>The default value is 256 MiB.</value>
    [Range(1024, long.MaxValue)]
    public long MaxTotalValueBytes { get; set; } = 256L * 1024 * 1024;
}
