using System.Net;
using System.Text.Json;

namespace Switchboard.Client.Calls;

/// <summary>Code-level settings of <see cref="IServiceClient"/> (configure with <c>services.Configure&lt;ServiceClientOptions&gt;(...)</c> or the builder).</summary>
public sealed class ServiceClientOptions
{
    /// <summary>How bodies are written and read.</summary>
    /// <value>The default value is <see cref="JsonSerializerOptions.Web"/> (camelCase, case-insensitive).</value>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = JsonSerializerOptions.Web;

    /// <summary>
    /// Which response encodings the client asks for (<c>Accept-Encoding</c>) and decompresses. Service-to-service
    /// answers on a local network are rarely worth compressing, and asking costs a header on every call.
    /// </summary>
    /// <value>The default value is <see cref="DecompressionMethods.None"/>, as for <see cref="HttpClient"/>.</value>
    public DecompressionMethods AutomaticDecompression { get; set; } = DecompressionMethods.None;

    /// <summary>Handlers run around every attempt, outermost first (seed 003 <c>middleware</c>): authentication, logging, ...</summary>
    public IList<Func<IServiceProvider, DelegatingHandler>> Middleware { get; } = [];

    /// <summary>Called for every failed call, after retries and fallbacks (seed 003 <c>error_handler</c>); exceptions it throws are logged and ignored.</summary>
    public IList<Func<ServiceCallError, CancellationToken, ValueTask>> ErrorHandlers { get; } = [];
}
