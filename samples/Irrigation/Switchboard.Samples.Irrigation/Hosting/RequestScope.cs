using System.Collections;

namespace Switchboard.Samples.Irrigation.Hosting;

/// <summary>The logging scope of one request: <c>request_id</c> and <c>caller</c>, shown as such in the JSON logs.</summary>
/// <param name="RequestId">The X-Request-ID.</param>
/// <param name="Caller">The calling service (X-Service-Name), or "-".</param>
internal sealed record RequestScope(string RequestId, string Caller) : IReadOnlyList<KeyValuePair<string, object>>
{
    public int Count => 2;

    public KeyValuePair<string, object> this[int index] => index switch
    {
        0 => new(RequestIdMiddleware.ScopeKey, RequestId),
        1 => new("caller", Caller),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{RequestIdMiddleware.ScopeKey}:{RequestId} caller:{Caller}";
}
