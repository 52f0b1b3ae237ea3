using System.Diagnostics;
using System.Text;

namespace Switchboard.LoadHarness;

/// <summary>Samples in ms from sending a registration: until its answer, and until the watcher held the change.</summary>
internal sealed record PropagationSamples(List<double> Acknowledged, List<double> Woken);

/// <summary>Register-to-watcher latency: how long after a registration is sent a watcher sees it.</summary>
internal static class Propagation
{
    /// <summary>
    /// A watcher parks a blocking query on the service at <paramref name="agent"/>; each round registers one instance
    /// (at <paramref name="writeTo"/>, another node, when given) and times the answer and the watcher's wake-up.
    /// </summary>
    public static async Task<PropagationSamples> BlockingQueryAsync(Uri agent, int rounds, string service, Uri? writeTo = null)
    {
        using var reader = new HttpClient { BaseAddress = agent, Timeout = TimeSpan.FromMinutes(2) };
        using var writer = new HttpClient { BaseAddress = writeTo ?? agent };
        var samples = new PropagationSamples(new List<double>(rounds), new List<double>(rounds));
        using var first = await reader.GetAsync($"/service-discovery/services/{service}/instances");
        var index = long.Parse(first.Headers.GetValues("X-Switchboard-Index").First(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = -3; i < rounds; i++) // three warm-up rounds open the connections
        {
            var watch = reader.GetAsync($"/service-discovery/services/{service}/instances?index={index}&wait=30s");
            await Task.Delay(5); // let the query park
            var clock = Stopwatch.StartNew();
            await RegisterAsync(writer, service, i + 3);
            var acknowledged = clock.Elapsed.TotalMilliseconds;
            using var woke = await watch;
            if (i >= 0)
            {
                samples.Acknowledged.Add(acknowledged);
                samples.Woken.Add(clock.Elapsed.TotalMilliseconds); // from sending the registration to the watcher holding the new list
            }
            index = long.Parse(woke.Headers.GetValues("X-Switchboard-Index").First(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return samples;
    }

    /// <summary>A subscriber reads the event stream; each round registers one instance and times the event's arrival.</summary>
    public static async Task<List<double>> EventStreamAsync(Uri agent, int rounds, string service)
    {
        using var reader = new HttpClient { BaseAddress = agent, Timeout = Timeout.InfiniteTimeSpan };
        using var writer = new HttpClient { BaseAddress = agent };
        using var stream = await reader.GetAsync($"/service-discovery/events?service={service}", HttpCompletionOption.ResponseHeadersRead);
        using var lines = new StreamReader(await stream.Content.ReadAsStreamAsync());
        await lines.ReadLineAsync(); // the opening comment
        var samples = new List<double>(rounds);
        for (var i = -3; i < rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            await RegisterAsync(writer, service, i + 3);
            string? line;
            while ((line = await lines.ReadLineAsync()) is not null && !line.StartsWith("data: ", StringComparison.Ordinal))
            {
            }
            if (i >= 0)
                samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        return samples;
    }

    private static async Task RegisterAsync(HttpClient http, string service, int i)
    {
        using var content = new StringContent(RegistryLoad.Body(service, $"{service}-{i}", i), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("/service-discovery/register", content);
        response.EnsureSuccessStatusCode();
    }

    public static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100 * sorted.Count) - 1)];
    }
}
