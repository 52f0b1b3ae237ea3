using System.Collections.Concurrent;
using System.Text;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Dns;

/// <summary>
/// The UDP answers the library encoded, kept per exact query (every byte but the id) while the catalog and the ACL
/// state are unchanged, so a repeated query is answered without parsing, building or encoding again. Up to
/// <see cref="Variants"/> answers per query, each with its own shuffled order, one picked at random per hit: the order
/// still varies from answer to answer. Any change to the catalog or the ACLs makes every entry stale.
/// </summary>
internal sealed class DnsAnswerCache(ServiceCatalog catalog, AclService acl)
{
    /// <summary>Shuffled answers kept per query.</summary>
    public const int Variants = 4;

    // Bounds: entries (the cache is emptied when full) and the sizes of a cacheable query and answer.
    private const int MaxEntries = 1024;
    private const int MaxQueryLength = 512;
    private const int MaxAnswerLength = 1232;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The state an answer is computed from: read before answering, so a change during it makes it stale.</summary>
    public (long Catalog, long Acl) Stamp() => (catalog.PublishedIndex, acl.Version);

    /// <summary>The key of a query: its bytes after the id; null when it is not cached.</summary>
    public static string? Key(ReadOnlySpan<byte> query)
        => query.Length is > 2 and <= MaxQueryLength ? Encoding.Latin1.GetString(query[2..]) : null;

    /// <summary>A cached answer to the query of <paramref name="key"/>, with <paramref name="id"/> as its id, in <paramref name="buffer"/>; 0 on a miss.</summary>
    public int TryAnswer(string key, ushort id, Span<byte> buffer)
    {
        if (!_entries.TryGetValue(key, out var entry) || entry.Stamp != Stamp() || entry.Count < Variants)
            return 0;
        var answer = entry.Answers[Random.Shared.Next(Variants)];
        answer.CopyTo(buffer);
        buffer[0] = (byte)(id >> 8);
        buffer[1] = (byte)id;
        return answer.Length;
    }

    /// <summary>Keeps an answer sent for the query of <paramref name="key"/>, computed at <paramref name="stamp"/>.</summary>
    public void Add(string key, (long, long) stamp, ReadOnlySpan<byte> answer)
    {
        if (answer.Length > MaxAnswerLength || stamp != Stamp())
            return;
        if (_entries.Count >= MaxEntries)
            _entries.Clear();
        var entry = _entries.AddOrUpdate(key, _ => new Entry(stamp), (_, old) => old.Stamp == stamp ? old : new Entry(stamp));
        entry.Add(answer.ToArray());
    }

    private sealed class Entry((long, long) stamp)
    {
        public readonly (long, long) Stamp = stamp;
        public readonly byte[][] Answers = new byte[Variants][];
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add(byte[] answer)
        {
            lock (Answers)
            {
                if (_count >= Variants)
                    return;
                Answers[_count] = answer;
                Volatile.Write(ref _count, _count + 1); // after the answer: a reader that sees the count sees the answer
            }
        }
    }
}
