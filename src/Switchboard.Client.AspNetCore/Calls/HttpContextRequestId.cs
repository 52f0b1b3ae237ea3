using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Client.Calls;

/// <summary>The <c>X-Request-ID</c> of the ASP.NET Core request being served, when the app registered <see cref="IHttpContextAccessor"/>.</summary>
internal sealed class HttpContextRequestId(IServiceProvider services) : IIncomingRequestId
{
    private readonly IHttpContextAccessor? _accessor = services.GetService<IHttpContextAccessor>();

    public string? Current =>
        _accessor?.HttpContext?.Request.Headers[SwitchboardHeaders.RequestId] is { Count: > 0 } values ? values[0] : null;
}
