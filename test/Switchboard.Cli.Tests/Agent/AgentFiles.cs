using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.Cli.Tests.Agent;

/// <summary>What the data-directory tests share: registrations, the journal's files, and the one-line start-up failure.</summary>
internal static class AgentFiles
{
    /// <summary>The journal segment the agent appends to (the newest).</summary>
    public static string NewestSegment(string dataDir) => Directory.GetFiles(dataDir, "journal*.log").Max()!;

    /// <summary>The byte offset where line <paramref name="line"/> (1-based) of <paramref name="bytes"/> starts.</summary>
    public static long OffsetOfLine(byte[] bytes, int line)
    {
        var offset = 0;
        for (var i = 1; i < line; i++)
            offset = Array.IndexOf(bytes, (byte)'\n', offset) + 1;
        return offset;
    }

    /// <summary>A registration of <c>service</c> on 127.0.0.1:<paramref name="port"/>, with about <paramref name="metadataBytes"/> of metadata.</summary>
    public static string Registration(string service, int port, int metadataBytes = 0)
    {
        var metadata = new StringBuilder();
        for (var i = 0; metadataBytes > 0; i++, metadataBytes -= 500)
            metadata.Append(i == 0 ? "" : ",").Append($"\"k{i}\":\"{new string((char)('a' + (i % 26)), 500)}\"");
        return $$"""{"service_name":"{{service}}","host":"127.0.0.1","port":{{port}},"ttl":"1h","metadata":""" + "{" + metadata + "}}";
    }

    public static Task<HttpResponseMessage> RegisterAsync(HttpClient http, string body, CancellationToken cancellationToken = default)
        => http.PostAsync("/service-discovery/register", new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);

    /// <summary>The ports of the instances of <paramref name="service"/>.</summary>
    public static async Task<HashSet<int>> PortsAsync(HttpClient http, string service)
    {
        using var response = await http.GetAsync($"/service-discovery/services/{service}/instances");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return [];
        var list = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. list.EnumerateArray().Select(i => i.GetProperty("port").GetInt32())];
    }

    /// <summary>Asserts a start-up failure: non-zero exit, one <c>switchboard: </c> line on stderr, no stack trace anywhere.</summary>
    public static string AssertOneLineFailure(ProcessResult result)
    {
        Assert.NotEqual(0, result.ExitCode);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("switchboard: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stdout + result.Stderr, StringComparison.Ordinal);
        return line;
    }
}
