using System.Net.Sockets;
using System.Text;

namespace Switchboard.Server.Tests.KeyValues;

/// <summary>Sends one request exactly as written (HttpClient would normalize <c>..</c> and escapes in the path), as HTTP/1.0 so the answer is not chunked, and reads the status and body.</summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Body)> SendAsync(Uri baseUri, string method, string target, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(baseUri.Host, baseUri.Port, cancellationToken);
        await using var stream = client.GetStream();
        var request = $"{method} {target} HTTP/1.0\r\nHost: {baseUri.Authority}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var status = int.Parse(response.AsSpan(9, 3), provider: System.Globalization.CultureInfo.InvariantCulture);
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return (status, body);
    }
}
