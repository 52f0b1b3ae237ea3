using System.Net;

namespace Switchboard.Benchmarks.Calls;

/// <summary>
/// A handler that never touches the network: every request gets a fresh 200 with the same small body, at once or,
/// when <paramref name="asynchronous"/>, after a hop through the thread pool (so every async layer above it really
/// suspends and resumes, as it does when the answer comes from a socket).
/// </summary>
internal sealed class CannedResponseHandler(bool asynchronous = false) : DelegatingHandler
{
    private static readonly byte[] Body = "pong"u8.ToArray();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        asynchronous ? AnswerLaterAsync(request) : Task.FromResult(Answer(request));

    private static HttpResponseMessage Answer(HttpRequestMessage request) =>
        new(HttpStatusCode.OK) { Content = new ByteArrayContent(Body), RequestMessage = request };

    private static async Task<HttpResponseMessage> AnswerLaterAsync(HttpRequestMessage request)
    {
        await Task.Yield();
        return Answer(request);
    }
}
