using System.Collections.Concurrent;
using System.Diagnostics;

namespace Switchboard.LoadHarness;

/// <summary>Middleware that records, per instance port, when the last attempt was sent to it (failover measurement).</summary>
internal sealed class AttemptRecorder : DelegatingHandler
{
    public static readonly ConcurrentDictionary<int, TimeSpan> LastAttempt = new();

    public static readonly Stopwatch Clock = Stopwatch.StartNew();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri)
            LastAttempt[uri.Port] = Clock.Elapsed;
        return base.SendAsync(request, cancellationToken);
    }
}
