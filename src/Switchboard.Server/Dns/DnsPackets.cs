using System.Net;
using ARSoft.Tools.Net.Dns;

namespace Switchboard.Server.Dns;

/// <summary>The checks a packet passes before the DNS library parses it.</summary>
internal static class DnsPackets
{
    /// <summary>A DNS header's size: anything shorter is not a query.</summary>
    public const int HeaderLength = 12;

    /// <summary>Whether a packet can be a query: a whole header, QR clear.</summary>
    public static bool IsQuery(ReadOnlySpan<byte> packet) => packet.Length >= HeaderLength && (packet[2] & 0x80) == 0;

    /// <summary>
    /// The package of a received query, or null for a packet to drop without an answer: shorter than a header, or a
    /// response (QR set; answering responses could start a loop between two servers).
    /// </summary>
    /// <param name="buffer">The packet after <see cref="DnsRawPackage.LENGTH_HEADER_LENGTH"/> bytes of room, which this fills.</param>
    /// <param name="length">The packet's length.</param>
    /// <param name="remote">Its sender.</param>
    /// <param name="local">Where it arrived.</param>
    public static DnsReceivedRawPackage? Query(byte[] buffer, int length, IPEndPoint remote, IPEndPoint local)
    {
        if (!IsQuery(buffer.AsSpan(DnsRawPackage.LENGTH_HEADER_LENGTH, length)))
            return null;
        buffer[0] = (byte)(length >> 8);
        buffer[1] = (byte)length;
        try
        {
            return new DnsReceivedRawPackage(buffer, remote, local);
        }
        catch (Exception)
        {
            // The library reads the question here and throws what it likes at garbage (NotSupportedException for an
            // unknown label type, IndexOutOfRangeException for a cut one, ...): dropped.
            return null;
        }
    }
}
