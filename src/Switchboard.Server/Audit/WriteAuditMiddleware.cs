using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Switchboard.Registry.Acl;
using Switchboard.Server.Acl;
using Switchboard.Server.Http;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Audit;

/// <summary>
/// Logs every write (<see cref="WriteRequests"/>: the pipeline runs it for writes only) once it has been answered, refusals included (a renewed lease at Debug,
/// <see cref="AuditLog.Renewal"/>): its operation and target
/// (<see cref="AuditOperation"/>), the accessor id of its token (never the secret, never the body), the client's address
/// and the status code.
/// </summary>
internal sealed class WriteAuditMiddleware(RequestDelegate next, ILoggerFactory loggers, AclService acl)
{
    private readonly ILogger _logger = loggers.CreateLogger(AuditLog.Category);

    public Task InvokeAsync(HttpContext context)
        => _logger.IsEnabled(LogLevel.Information) ? AuditAsync(context) : next(context);

    private async Task AuditAsync(HttpContext context)
    {
        // Written when the answer's headers go out (its status is final then), so the event is in the log before the client
        // holds the answer; an answer not started when the pipeline returns (no body yet) is written below, once.
        var written = new StrongBox<bool>();
        context.Response.OnStarting(static state =>
        {
            var (middleware, context, written) = ((WriteAuditMiddleware, HttpContext, StrongBox<bool>))state;
            if (written.Value)
                return Task.CompletedTask; // an answer without a body starts after the pipeline: written below already
            written.Value = true;
            middleware.Write(context, context.Response.StatusCode);
            return Task.CompletedTask;
        }, (this, context, written));
        try
        {
            await next(context);
        }
        catch
        {
            if (!written.Value)
                Write(context, context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError);
            throw;
        }
        if (!written.Value && !context.Response.HasStarted)
        {
            written.Value = true;
            Write(context, context.Response.StatusCode);
        }
    }

    private void Write(HttpContext context, int statusCode)
    {
        var (operation, target) = AuditOperation.Of(context);
        var renewal = operation == AuditOperation.Heartbeat && statusCode is >= 200 and < 300;
        if (renewal && !_logger.IsEnabled(LogLevel.Debug))
            return;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        var client = context.Connection.RemoteIpAddress is { } remote ? ClientAddress.Of(remote).ToString() : "";
        if (renewal)
            AuditLog.Renewal(_logger, operation, target, Accessor(context), client, statusCode, context.Request.Method, route);
        else
            AuditLog.Write(_logger, operation, target, Accessor(context), client, statusCode, context.Request.Method, route);
    }

    /// <summary>The accessor id the handler resolved; else (a write refused before its handler, or a route that resolved none) the token's own, when ACLs are on.</summary>
    private string Accessor(HttpContext context)
    {
        var resolved = context.AccessorId();
        if (resolved.Length > 0 || !acl.Enabled)
            return resolved;
        return acl.TryResolve(RequestToken.Read(context.Request), out var authorizer) ? authorizer.AccessorId : "";
    }
}
