using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.Server.Consul;

namespace Switchboard.Server.Limits;

/// <summary>
/// A request refused by a limit: 429 when the client's own share is used up, 503 when all clients' is; with
/// <c>Retry-After</c> and a reason naming the limit's configuration key. The native API answers it as ProblemDetails,
/// the Consul API as plain text, as Consul writes its errors.
/// </summary>
/// <param name="StatusCode">429 (per client) or 503 (total).</param>
/// <param name="Title">The ProblemDetails title.</param>
/// <param name="Reason">The one-line reason, naming the limit and its value.</param>
/// <param name="RetryAfter">When to try again.</param>
internal sealed record LimitRefusal(int StatusCode, string Title, string Reason, TimeSpan RetryAfter)
{
    /// <summary>Sets <c>Retry-After</c> (whole seconds) on the response.</summary>
    public void SetRetryAfter(HttpResponse response)
        => response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>The native API's answer: ProblemDetails with the reason as detail.</summary>
    public IResult Problem(HttpContext context)
    {
        SetRetryAfter(context.Response);
        return TypedResults.Problem(Reason, statusCode: StatusCode, title: Title);
    }

    /// <summary>The Consul API's answer: the reason as plain text.</summary>
    public IResult Text(HttpContext context)
    {
        SetRetryAfter(context.Response);
        return ConsulResults.Text(StatusCode, Reason);
    }
}
