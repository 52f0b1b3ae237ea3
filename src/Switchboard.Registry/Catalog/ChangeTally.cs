using Switchboard.Api;

namespace Switchboard.Registry.Catalog;

/// <summary>Counts the catalog's visible changes by kind between two summaries (<see cref="Diagnostics.CatalogActivityLog"/>).</summary>
internal sealed class ChangeTally
{
    /// <summary>The kinds counted, in the summary's order.</summary>
    public static readonly string[] Kinds =
    [
        CatalogEventTypes.Registered, CatalogEventTypes.Updated, CatalogEventTypes.StatusChanged, CatalogEventTypes.Deregistered,
        CatalogEventTypes.Expired, CatalogEventTypes.Reaped,
    ];

    private readonly long[] _counts = new long[Kinds.Length];

    /// <summary>Counts one change of <paramref name="kind"/>; other kinds are ignored.</summary>
    public void Count(string kind)
    {
        var i = Array.IndexOf(Kinds, kind);
        if (i >= 0)
            Interlocked.Increment(ref _counts[i]);
    }

    /// <summary>The counts since the last call, by kind (in <see cref="Kinds"/>' order), and resets them.</summary>
    public long[] Take()
    {
        var taken = new long[Kinds.Length];
        for (var i = 0; i < taken.Length; i++)
            taken[i] = Interlocked.Exchange(ref _counts[i], 0);
        return taken;
    }
}
