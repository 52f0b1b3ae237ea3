using System.Globalization;
using Switchboard.Registry.Notifications;

namespace Switchboard.Server.Api;

/// <summary>
/// Keeps one event stream's promise: its events come in strictly increasing index order, each change once. When the next
/// event would break it (a shared store's replica was reconciled, or a change reached this node out of order), the stream
/// sends no more events and tells the subscriber to read the catalog again (<see cref="Resync"/>).
/// </summary>
internal sealed class EventOrder
{
    private long _last;

    /// <summary>Why the stream must end, once it must; null while events are in order.</summary>
    public string? Resync { get; private set; }

    /// <summary>Whether <paramref name="frame"/> may be sent; false (and <see cref="Resync"/> set) when it breaks the order.</summary>
    public bool Admits(CatalogEventFrame frame) => Admits(frame.Event.Index, frame.Reconciled);

    /// <summary>Whether the event at <paramref name="index"/> may be sent; false (and <see cref="Resync"/> set) when it breaks the order.</summary>
    /// <param name="index">The event's index.</param>
    /// <param name="reconciled">Whether a reconciliation found the change (<see cref="CatalogEventFrame.Reconciled"/>).</param>
    public bool Admits(long index, bool reconciled)
    {
        if (Resync is not null)
            return false;
        if (reconciled)
        {
            Resync = $"{CatalogEventHub.ResyncPrefix} the agent reconciled its copy of the catalog with the shared store at index {Format(index)} and changes before it may not have been sent; read the catalog again, then subscribe again";
            return false;
        }
        if (index <= _last)
        {
            Resync = $"{CatalogEventHub.ResyncPrefix} a change at index {Format(index)} reached this agent after index {Format(_last)}; read the catalog again, then subscribe again";
            return false;
        }
        _last = index;
        return true;
    }

    private static string Format(long index) => index.ToString(CultureInfo.InvariantCulture);
}
