using System.Globalization;
using System.Text;
using Switchboard.Registry.KeyValues;

namespace Switchboard.Registry.Redis.KeyValues;

/// <summary>
/// One key/value change as published by <see cref="RedisKeyValueScripts"/>: an ASCII header line, then the key (and the
/// value) as raw bytes, so any value travels unchanged:
/// <c>p {index} {before} {flags} {create} {key bytes}\n{key}{value}</c>, <c>d {index} {before}\n{key}</c>,
/// <c>t {index} {before}\n{prefix}</c>.
/// </summary>
internal sealed record KeyValueMessage(char Kind, long Index, long Before, string Key, KeyValueEntry? Entry)
{
    /// <summary>Parses a message; null when it is not one (the caller logs and reloads).</summary>
    public static KeyValueMessage? Parse(byte[] payload)
    {
        var newline = Array.IndexOf(payload, (byte)'\n');
        if (newline < 0)
            return null;
        var header = Encoding.ASCII.GetString(payload, 0, newline).Split(' ');
        if (header.Length < 3 || header[0].Length != 1 || !Long(header[1], out var index) || !Long(header[2], out var before))
            return null;
        var rest = payload.AsSpan(newline + 1);
        try
        {
            switch (header[0][0])
            {
                case 'p' when header.Length == 6 && Long(header[3], out var flags) && Long(header[4], out var create)
                    && int.TryParse(header[5], NumberStyles.None, CultureInfo.InvariantCulture, out var keyBytes) && keyBytes <= rest.Length:
                    var key = Strict.GetString(rest[..keyBytes]);
                    return new('p', index, before, key, new KeyValueEntry(key, rest[keyBytes..].ToArray(), flags, create, index));
                case 'd' or 't' when header.Length == 3:
                    return new(header[0][0], index, before, Strict.GetString(rest), null);
                default:
                    return null;
            }
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    private static bool Long(string text, out long value) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
