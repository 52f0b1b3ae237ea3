using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Switchboard.Registry.Acl;

/// <summary>A SHA-256 secret hash as four integers: the lookup key of the hot path, compared and hashed without allocating.</summary>
internal readonly record struct SecretKey(ulong A, ulong B, ulong C, ulong D)
{
    public static SecretKey FromHash(ReadOnlySpan<byte> hash) => new(
        BinaryPrimitives.ReadUInt64LittleEndian(hash),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
        BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));

    /// <summary>The key of a stored hash (64 hex digits); a malformed one gets a key no secret hashes to in practice.</summary>
    public static SecretKey FromHex(string hex)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        return Convert.FromHexString(hex, hash, out _, out var written) == System.Buffers.OperationStatus.Done && written == hash.Length
            ? FromHash(hash)
            : default;
    }
}
