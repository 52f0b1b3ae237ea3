using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Registry.Acl;

/// <summary>Token secrets: made from 128 random bits (a CSPRNG) in GUID form like Consul's, and kept only as SHA-256 hashes.</summary>
internal static class AclSecrets
{
    /// <summary>Longer "secrets" are refused unhashed: no valid secret is this long, and hashing attacker-sized input is waste.</summary>
    public const int MaxLength = 256;

    public static string NewSecret()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return new Guid(bytes).ToString("D");
    }

    /// <summary>SHA-256 of the secret's UTF-8 bytes, 64 lowercase hex digits (the stored form).</summary>
    public static string Hash(string secret)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashInto(secret, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The lookup key of the secret's SHA-256, without allocating.</summary>
    public static SecretKey Key(string secret)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        HashInto(secret, hash);
        return SecretKey.FromHash(hash);
    }

    private static void HashInto(string secret, Span<byte> hash)
    {
        Span<byte> utf8 = stackalloc byte[MaxLength * 3];
        var length = Encoding.UTF8.GetBytes(secret.AsSpan(0, Math.Min(secret.Length, MaxLength)), utf8);
        SHA256.HashData(utf8[..length], hash);
    }
}
