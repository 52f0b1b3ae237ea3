using System.Net;

namespace Switchboard.Benchmarks.Calls;

/// <summary>A handler that never touches the network: every request gets a fresh 200 with the same small body.</summary>
internal sealed class CannedResponseHandler : DelegatingHandler
{
    private static readonly byte[] Body = "pong"u8.ToArray();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Body), RequestMessage = request });
}
