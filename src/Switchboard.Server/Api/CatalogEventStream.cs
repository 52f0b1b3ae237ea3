using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Json;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;

namespace Switchboard.Server.Api;

/// <summary><c>GET /service-discovery/events[?service=name]</c>: catalog changes as server-sent events.</summary>
/// <remarks>Each event has <c>id</c> = catalog index, <c>event</c> = change type, <c>data</c> = the CatalogEvent JSON. A comment line is sent every 15 seconds to keep proxies from closing an idle stream.</remarks>
internal static class CatalogEventStream
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext context, ServiceCatalog catalog, TimeProvider timeProvider)
    {
        var service = context.Request.Query["service"].ToString();
        if (service.Length > 0 && ServiceNames.Validate(service) is { } error)
        {
            await Http.ProblemResults.Invalid("service", $"service {error}.").ExecuteAsync(context);
            return;
        }
        using var subscription = catalog.Events.Subscribe();
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync($": switchboard events from index {catalog.Index}\n\n", context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);

        var reader = subscription.Events;
        var aborted = context.RequestAborted;
        try
        {
            while (!aborted.IsCancellationRequested)
            {
                bool ready;
                try
                {
                    ready = await reader.WaitToReadAsync(aborted).AsTask().WaitAsync(KeepAlive, timeProvider, aborted);
                }
                catch (TimeoutException)
                {
                    await response.WriteAsync(": keep-alive\n\n", aborted);
                    await response.Body.FlushAsync(aborted);
                    continue;
                }
                if (!ready)
                    break;
                var sb = new StringBuilder();
                while (reader.TryRead(out var change))
                {
                    if (service.Length > 0 && change.ServiceName != service)
                        continue;
                    sb.Append("id: ").Append(change.Index.ToString(CultureInfo.InvariantCulture)).Append('\n')
                      .Append("event: ").Append(change.Type).Append('\n')
                      .Append("data: ").Append(JsonSerializer.Serialize(change, SwitchboardJsonContext.Default.CatalogEvent)).Append("\n\n");
                }
                if (sb.Length > 0)
                {
                    await response.WriteAsync(sb.ToString(), aborted);
                    await response.Body.FlushAsync(aborted);
                }
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // the client went away
        }
    }
}
