using System.Globalization;

namespace Switchboard.Server.Consul;

/// <summary>Maps Switchboard's catalog index to the <c>X-Consul-Index</c> clients see, and back.</summary>
/// <remarks>
/// Consul never answers with index 0 (a client would never block), and its clients block on "index 1" while the data
/// they ask for does not exist yet. Switchboard's index starts at 0, so the Consul index is the catalog index plus one:
/// an empty catalog is Consul index 1, and a client blocking on 1 is woken by the very first registration.
/// </remarks>
internal static class ConsulIndex
{
    /// <summary>The response header carrying the index.</summary>
    public const string Header = "X-Consul-Index";

    /// <summary>The Consul index of catalog index <paramref name="catalogIndex"/>.</summary>
    public static long ToConsul(long catalogIndex) => catalogIndex + 1;

    /// <summary>The catalog index a client's <c>?index=</c> stands for.</summary>
    public static long ToCatalog(ulong consulIndex) => consulIndex > long.MaxValue ? long.MaxValue : (long)consulIndex - 1;

    /// <summary>Sets <c>X-Consul-Index</c> for catalog index <paramref name="catalogIndex"/>.</summary>
    public static void Set(Microsoft.AspNetCore.Http.HttpResponse response, long catalogIndex)
        => response.Headers[Header] = ToConsul(catalogIndex).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The key/value <c>?cas=</c> a client sends (an index on Consul's scale, or 0: create only) as the store's: 0 stays 0;
    /// 1 (no entry ever has it: the first write is index 2 here) becomes an index no entry will have.
    /// </summary>
    public static long CasToStore(long consulCas) => consulCas switch
    {
        0 => 0,
        1 => long.MaxValue,
        _ => consulCas - 1,
    };
}
