using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.Server.Tests.Limits;

/// <summary>Parked blocking queries against the real agent process: per client past the limit 429, in all past the limit 503, each with the reason and Retry-After.</summary>
public sealed class BlockingQueryLimitTests
{
    private static readonly Dictionary<string, string> Limits = new()
    {
        ["Switchboard__Limits__MaxBlockingQueriesPerClient"] = "3",
        ["Switchboard__Limits__MaxBlockingQueries"] = "5",
    };

    [Fact]
    public async Task ParkedQueriesPastTheLimits_PerClient429_Total503_NativeAndConsul()
    {
        await using var agent = await AgentProcess.StartAsync(["--dev"], new AgentProcess.Options { Environment = Limits, WriteOutputOnDispose = true });
        using var first = Loopback.From("127.0.0.1", agent.BaseUri);
        using var second = Loopback.From("127.0.0.2", agent.BaseUri);
        using var third = Loopback.From("127.0.0.3", agent.BaseUri);
        using (var registered = await first.PostAsync("/service-discovery/register",
            new StringContent("""{"service_name":"orders","host":"10.0.0.1","port":80}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
            Assert.True(registered.IsSuccessStatusCode);
        var index = (await first.GetFromJsonAsync<JsonElement>("/health", TestContext.Current.CancellationToken)).GetProperty("index").GetInt64();
        var path = $"/service-discovery/services/orders/instances?index={index}&wait=10m";
        using var release = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var parked = new List<Parked>();
        try
        {
            // 127.0.0.1 parks its 3; a 4th is refused with 429. (A probe that won a slot itself ends within its 1 s wait, and a
            // parked query that lost its slot to a probe is parked again, until the 3 hold the slots.)
            for (var i = 0; i < 3; i++)
                parked.Add(new Parked(first, path, release.Token));
            var perClient = await UntilRefusedAsync(first, $"/service-discovery/services/orders/instances?index={index}&wait=1s", HttpStatusCode.TooManyRequests, parked);
            Assert.Equal("application/problem+json", perClient.ContentType);
            Assert.Contains("at most 3 per client (Switchboard:Limits:MaxBlockingQueriesPerClient)", perClient.Body, StringComparison.Ordinal);
            Assert.True(perClient.RetryAfter);

            // The Consul routes share the slots and answer as Consul does: plain text.
            var consul = await UntilRefusedAsync(first, $"/v1/health/service/orders?index={ConsulIndex(index)}&wait=1s", HttpStatusCode.TooManyRequests, parked);
            Assert.StartsWith("text/plain", consul.ContentType, StringComparison.Ordinal);
            Assert.Contains("(Switchboard:Limits:MaxBlockingQueriesPerClient)", consul.Body, StringComparison.Ordinal);

            // 127.0.0.2 parks 2 more: 5 in all; then 127.0.0.3, under its own limit, is refused with 503.
            for (var i = 0; i < 2; i++)
                parked.Add(new Parked(second, path, release.Token));
            var total = await UntilRefusedAsync(third, $"/service-discovery/services/orders/instances?index={index}&wait=1s", HttpStatusCode.ServiceUnavailable, parked);
            Assert.Contains("at most 5 in all (Switchboard:Limits:MaxBlockingQueries)", total.Body, StringComparison.Ordinal);
            Assert.True(total.RetryAfter);

            // A query that does not block needs no slot.
            using var immediate = await third.GetAsync("/service-discovery/services/orders/instances", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, immediate.StatusCode);
        }
        finally
        {
            await release.CancelAsync();
            foreach (var query in parked)
                await query.StopAsync();
        }
    }

    /// <summary>The Consul index of a catalog index (Consul's indexes start above 0; see ConsulIndex).</summary>
    private static string ConsulIndex(long index) => (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Refusal(string? ContentType, string Body, bool RetryAfter);

    private static async Task<Refusal> UntilRefusedAsync(HttpClient http, string path, HttpStatusCode expected, List<Parked> parked)
    {
        Refusal? refusal = null;
        await Loopback.UntilAsync(async () =>
        {
            foreach (var query in parked)
                query.ParkAgainIfRefused();
            using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
            if (response.StatusCode != expected)
                return false;
            refusal = new Refusal(response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.RetryAfter is not null);
            return parked.All(q => !q.Answered);
        }, $"{path} to be refused with {(int)expected}");
        return refusal!;
    }

    /// <summary>A blocking query meant to stay parked (10 minutes) until the test releases it.</summary>
    private sealed class Parked(HttpClient http, string path, CancellationToken release)
    {
        private Task<HttpResponseMessage> _request = http.GetAsync(path, release);

        /// <summary>Whether it was answered (refused: it lost the race for a slot to a probe).</summary>
        public bool Answered => _request.IsCompleted;

        public void ParkAgainIfRefused()
        {
            if (!_request.IsCompletedSuccessfully)
                return;
            _request.Result.Dispose();
            _request = http.GetAsync(path, release);
        }

        public async Task StopAsync()
        {
            try
            {
                (await _request).Dispose();
            }
            catch (OperationCanceledException)
            {
                // released
            }
        }
    }
}
