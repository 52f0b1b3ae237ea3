using System.IO.Hashing;
using System.Runtime.CompilerServices;

namespace Switchboard.Registry.Storage;

/// <summary>
/// What a reading thread last made of a few hundred distinct byte sequences (a service name, a tag list's JSON, a TTL):
/// when the same bytes come again, the value made from them is handed back without decoding or allocating. Instances
/// repeat most of their fields, so a restart with a million instances makes each shared value about once instead of a
/// million times, and the garbage (and the collections it costs) mostly goes away.
/// </summary>
/// <remarks>One table per thread (no locks); one slot per hash, a colliding value replaces the slot (a miss, never a wrong answer: the bytes are compared).</remarks>
internal sealed class RecentValues
{
    private const int Slots = 512;

    /// <summary>Bytes longer than this are not kept (unique long values would only churn the table).</summary>
    public const int MaxBytes = 256;

    [ThreadStatic]
    private static RecentValues? t_current;

    private readonly byte[]?[] _bytes = new byte[Slots][];
    private readonly int[] _kinds = new int[Slots];
    private readonly object?[] _values = new object[Slots];

    /// <summary>This thread's table.</summary>
    public static RecentValues Current => t_current ??= new RecentValues();

    /// <summary>The value last made from <paramref name="bytes"/> for <paramref name="kind"/>; false when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs a million times at start, before tiered compilation would optimize it
    public bool TryGet(ReadOnlySpan<byte> bytes, int kind, out object? value)
    {
        var slot = Slot(bytes, kind);
        if (_bytes[slot] is { } held && _kinds[slot] == kind && held.AsSpan().SequenceEqual(bytes))
        {
            value = _values[slot];
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>Keeps <paramref name="value"/> as what <paramref name="bytes"/> make for <paramref name="kind"/> (not when the bytes are longer than <see cref="MaxBytes"/>).</summary>
    public void Keep(ReadOnlySpan<byte> bytes, int kind, object? value)
    {
        if (bytes.Length > MaxBytes)
            return;
        var slot = Slot(bytes, kind);
        _bytes[slot] = bytes.ToArray();
        _kinds[slot] = kind;
        _values[slot] = value;
    }

    /// <summary>The kind keeps equal bytes of different fields (a tag list and a metadata map, say) in different slots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ReadOnlySpan<byte> bytes, int kind) => (int)(XxHash32.HashToUInt32(bytes, kind) % Slots);
}
