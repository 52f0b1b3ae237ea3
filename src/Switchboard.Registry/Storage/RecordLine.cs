using System.Buffers;
using System.Globalization;
using System.IO.Hashing;

namespace Switchboard.Registry.Storage;

/// <summary>
/// One checksummed line of the journal or the snapshot: <c>&lt;crc32 as 8 lowercase hex digits&gt; &lt;json&gt;\n</c>, the CRC-32
/// (IEEE) taken over the JSON's UTF-8 bytes. Lines written before checksums existed start with <c>{</c> and carry none.
/// </summary>
internal static class RecordLine
{
    private const int PrefixLength = 9; // 8 hex digits and a space

    /// <summary>Appends <paramref name="json"/> as one checksummed line (newline included).</summary>
    public static void Write(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(json.Length + PrefixLength + 1);
        WriteChecksum(Crc32.HashToUInt32(json), span);
        span[8] = (byte)' ';
        json.CopyTo(span[PrefixLength..]);
        span[PrefixLength + json.Length] = (byte)'\n';
        output.Advance(json.Length + PrefixLength + 1);
    }

    /// <summary>Writes <paramref name="crc"/> as 8 lowercase hex digits.</summary>
    public static void WriteChecksum(uint crc, Span<byte> destination)
        => crc.TryFormat(destination, out _, "x8", CultureInfo.InvariantCulture);

    /// <summary>The length of the checksum prefix (<c>"xxxxxxxx "</c>).</summary>
    public static int Prefix => PrefixLength;

    /// <summary>Checks one line (without its newline) and returns its JSON, or why it is not a valid line.</summary>
    /// <param name="line">The line.</param>
    /// <param name="allowLegacy">Whether a line without a checksum (starting with <c>{</c>, as older versions wrote) is accepted.</param>
    /// <param name="json">The JSON part.</param>
    /// <returns>Null when the line is valid, else the reason.</returns>
    public static string? Check(ReadOnlySpan<byte> line, bool allowLegacy, out ReadOnlySpan<byte> json)
    {
        json = default;
        if (line.Length > 0 && line[0] == (byte)'{')
        {
            if (!allowLegacy)
                return "a line without a checksum";
            json = line;
            return null;
        }
        if (line.Length <= PrefixLength || line[8] != (byte)' '
            || !uint.TryParse(line[..8], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var stored))
            return "no checksum";
        json = line[PrefixLength..];
        var computed = Crc32.HashToUInt32(json);
        return computed == stored ? null : $"checksum mismatch: stored {stored:x8}, computed {computed:x8}";
    }
}
