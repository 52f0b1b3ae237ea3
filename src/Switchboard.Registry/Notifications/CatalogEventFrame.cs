using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchboard.Api;
using Switchboard.Json;

namespace Switchboard.Registry.Notifications;

/// <summary>
/// One catalog change as every event-stream subscriber receives it: the event and its server-sent-events frame
/// (<c>id:</c> = catalog index, <c>event:</c> = change type, <c>data:</c> = the <see cref="CatalogEvent"/> JSON), serialized
/// once, at the first subscriber that needs it, and shared by all of them.
/// </summary>
internal sealed class CatalogEventFrame
{
    private readonly Func<CatalogEvent, byte[]> _serialize;
    private readonly Lock _gate = new();
    private byte[]? _bytes;

    internal CatalogEventFrame(CatalogEvent change, Func<CatalogEvent, byte[]> serialize, bool reconciled = false)
    {
        Event = change;
        _serialize = serialize;
        Reconciled = reconciled;
    }

    /// <summary>The change.</summary>
    public CatalogEvent Event { get; }

    /// <summary>
    /// True when the change was found by a reconciliation with a shared store rather than received in order: changes
    /// before it may never have been published, so a subscriber is told to read the catalog again instead of receiving it.
    /// </summary>
    public bool Reconciled { get; }

    /// <summary>The UTF-8 SSE frame, ending with the blank line that closes an event; the same bytes for every subscriber.</summary>
    public ReadOnlyMemory<byte> Bytes
    {
        get
        {
            if (Volatile.Read(ref _bytes) is { } bytes)
                return bytes;
            lock (_gate)
                return _bytes ??= _serialize(Event);
        }
    }

    /// <summary>The standard frame of <paramref name="change"/>: <c>id: N\nevent: type\ndata: json\n\n</c>.</summary>
    public static byte[] Format(CatalogEvent change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var json = JsonSerializer.SerializeToUtf8Bytes(change, SwitchboardJsonContext.Default.CatalogEvent);
        var head = Encoding.UTF8.GetBytes($"id: {change.Index.ToString(CultureInfo.InvariantCulture)}\nevent: {change.Type}\ndata: ");
        var frame = new byte[head.Length + json.Length + 2];
        head.CopyTo(frame, 0);
        json.CopyTo(frame, head.Length);
        frame[^2] = (byte)'\n';
        frame[^1] = (byte)'\n';
        return frame;
    }
}
