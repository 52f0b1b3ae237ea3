using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Registration;
using Switchboard.Registry.Acl;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Notifications;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Api;

/// <summary><c>GET /service-discovery/events[?service=name]</c>: catalog changes as server-sent events.</summary>
/// <remarks>
/// Each event has <c>id</c> = catalog index, <c>event</c> = change type, <c>data</c> = the CatalogEvent JSON; the frame is
/// serialized once by the hub and the same bytes are written to every subscriber. A comment line is sent every 15 seconds
/// to keep proxies from closing an idle stream. A subscriber more than <see cref="LimitsOptions.EventBacklog"/> events
/// behind is cut off: after the events already written to it comes <c>event: error</c> with the reason, then the stream
/// closes (or, when it does not read at all, the connection is closed). All streams together send at most
/// <see cref="LimitsOptions.EventStreamBytesPerSecond"/> (<see cref="EventDeliveryBudget"/>).
/// </remarks>
internal static partial class CatalogEventStream
{
    /// <summary>How long the final error frame may take to reach a subscriber that was cut off before its connection is closed.</summary>
    private static readonly TimeSpan FarewellTimeout = TimeSpan.FromSeconds(5);

    private static readonly byte[] KeepAliveFrame = ": keep-alive\n\n"u8.ToArray();

    /// <remarks><paramref name="keepAlive"/> is asked for so that its tick runs (the singleton starts with the first stream); it nudges the streams itself.</remarks>
    public static async Task StreamAsync(HttpContext context, ServiceCatalog catalog, ServerLimits limits, AclService aclService, EventStreamKeepAlive keepAlive, TimeProvider timeProvider, ILoggerFactory loggers)
    {
        var service = context.Request.Query["service"].ToString();
        if (service.Length > 0 && ServiceNames.Validate(service) is { } error)
        {
            await Http.ProblemResults.Invalid("service", $"service {error}.").ExecuteAsync(context);
            return;
        }
        var denied = service.Length > 0 ? NativeAcl.Deny(context, NativeAcl.ServiceRead, service)
            : NativeAcl.TryAuthorize(context, out _, out var notFound) ? null : notFound;
        if (denied is not null)
        {
            await denied.ExecuteAsync(context);
            return;
        }
        if (!limits.EventSubscribers.TryAcquire(context, out var slot, out var refusal))
        {
            await refusal!.Problem(context).ExecuteAsync(context);
            return;
        }
        using (slot)
        {
            using var subscription = catalog.Events.Subscribe(limits.Options.EventBacklog, service.Length > 0 ? service : null);
            var readable = new ReadableEvents(context, aclService, timeProvider);
            await SendAsync(context, catalog, subscription, readable, limits.EventDelivery, loggers.CreateLogger(typeof(CatalogEventStream)));
        }
    }

    private static async Task SendAsync(HttpContext context, ServiceCatalog catalog, CatalogEventHub.Subscription subscription, ReadableEvents readable, EventDeliveryBudget budget, ILogger logger)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        if (HttpProtocol.IsHttp11(context.Request.Protocol))
            response.Headers.Connection = "close"; // a stream is one connection's only answer: when it ends (cut off, agent stopping), so does the connection
        var aborted = context.RequestAborted;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, subscription.CutOff);
        // The stream waits on its subscription alone (an event, its end, or a nudge: the shared keep-alive tick, or this).
        using var nudgeOnAbort = aborted.UnsafeRegister(static s => ((CatalogEventHub.Subscription)s!).Nudge(), subscription);
        var writer = response.BodyWriter;
        var reader = subscription.Frames;
        var order = new EventOrder();
        try
        {
            await response.WriteAsync($": switchboard events from index {catalog.Index}\n\n", stop.Token);
            await writer.FlushAsync(stop.Token);
            while (true)
            {
                var woken = await subscription.WaitAsync();
                if (aborted.IsCancellationRequested)
                    return; // the client went away (whatever woke the stream)
                if (woken == SubscriptionWake.Ended)
                    break;
                if (woken == SubscriptionWake.Nudged)
                {
                    if (!readable.Refresh())
                        break; // its token was deleted or expired while the catalog was quiet
                    writer.Write(KeepAliveFrame);
                    await writer.FlushAsync(stop.Token);
                    continue;
                }
                // What is queued goes out in batches: the frames' bytes are shared, only copied into this response, and each
                // batch waits for its share of the streams' budget; a subscriber kept waiting falls behind and is cut off.
                if (!readable.Refresh())
                    break; // its token was deleted or expired
                int batch;
                do
                {
                    batch = 0;
                    while (batch < budget.MaxBatchBytes && order.Resync is null && reader.TryRead(out var frame))
                    {
                        if (!readable.Allows(frame.Event) || !order.Admits(frame))
                            continue;
                        writer.Write(frame.Bytes.Span);
                        batch += frame.Bytes.Length;
                    }
                    await budget.TakeAsync(batch, stop.Token);
                    await writer.FlushAsync(stop.Token);
                }
                while (batch >= budget.MaxBatchBytes && order.Resync is null);
                if (order.Resync is not null)
                    break;
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return; // the client went away
        }
        catch (OperationCanceledException) when (subscription.CutOff.IsCancellationRequested)
        {
            // Cut off while a write waited on a client that does not read: below, the reason gets one bounded try.
        }
        if (subscription.CutOffReason is { } reason)
            await FarewellAsync(context, reason, logger);
        else if (order.Resync is { } resync)
            await FarewellAsync(context, resync, logger);
        else if (readable.Revoked)
            await FarewellAsync(context, $"{AclMessages.NotFound}: the stream's token was deleted or expired", logger);
    }

    /// <summary>Writes the cut-off reason as a final <c>event: error</c>, gives it <see cref="FarewellTimeout"/> to go out, then closes the connection when it could not.</summary>
    private static async Task FarewellAsync(HttpContext context, string reason, ILogger logger)
    {
        LogCutOff(logger, context.Connection.RemoteIpAddress, reason);
        var text = reason.StartsWith(AclMessages.NotFound, StringComparison.Ordinal) || reason.StartsWith(CatalogEventHub.ResyncPrefix, StringComparison.Ordinal)
            ? reason : $"{reason} ({ServerLimits.Key(nameof(LimitsOptions.EventBacklog))})";
        var writer = context.Response.BodyWriter;
        writer.Write(Encoding.UTF8.GetBytes($"event: error\ndata: {text}\n\n"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(FarewellTimeout);
        try
        {
            var flushed = await writer.FlushAsync(timeout.Token);
            if (!flushed.IsCanceled)
                return; // the response ends normally: the client reads the error, then the end of the stream
        }
        catch (OperationCanceledException)
        {
            // the client does not read
        }
        context.Abort();
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Cut off the event stream of {Client}: {Reason}")]
    private static partial void LogCutOff(ILogger logger, System.Net.IPAddress? client, string reason);
}
