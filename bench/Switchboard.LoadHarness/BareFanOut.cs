using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.LoadHarness;

/// <summary>
/// The machine's limit for a fan-out: bare Kestrel, in its own process like the agent, that writes each posted body as one
/// server-sent event to every open stream. No catalog, no limits, no budget, no filters: one wake-up, one write and one
/// flush per stream per change, the least an event stream over HTTP/1.1 can cost.
/// </summary>
/// <remarks>
/// <c>GET /service-discovery/events</c> opens a stream (any query is ignored); <c>POST /service-discovery/register</c>
/// sends its body as <c>data:</c> to every stream and answers 201. The same paths as the agent's, so the same watchers
/// and the same change requests measure both.
/// </remarks>
internal static class BareFanOut
{
    public static async Task<int> RunAsync()
    {
        var app = Baseline.CreateApp();
        var changes = new Changes();
        app.MapGet("/service-discovery/events", async context =>
        {
            var next = changes.Next;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            var writer = context.Response.BodyWriter;
            writer.Write(": bare fan-out\n\n"u8);
            await writer.FlushAsync(context.RequestAborted);
            while (!context.RequestAborted.IsCancellationRequested)
            {
                var change = await next.WaitAsync(context.RequestAborted);
                writer.Write(change.Frame);
                await writer.FlushAsync(context.RequestAborted);
                next = change.After;
            }
        });
        app.MapPost("/service-discovery/register", async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            changes.Publish(body.ToArray());
            context.Response.StatusCode = StatusCodes.Status201Created;
        });
        return await Baseline.ServeAsync(app, "bare fan-out");
    }

    /// <summary>One change: its frame and the promise of the change after it.</summary>
    private sealed record Change(byte[] Frame, Task<Change> After);

    /// <summary>A chain of promises: each change completes the current one, so a stream never misses a change between two waits.</summary>
    private sealed class Changes
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource<Change> _next = New();
        private long _id;

        /// <summary>The promise of the next change.</summary>
        public Task<Change> Next
        {
            get
            {
                lock (_gate)
                    return _next.Task;
            }
        }

        /// <summary>Sends <paramref name="data"/> as the next event to every stream.</summary>
        public void Publish(byte[] data)
        {
            TaskCompletionSource<Change> current;
            Change change;
            lock (_gate)
            {
                current = _next;
                _next = New();
                var frame = Encoding.UTF8.GetBytes($"id: {++_id}\nevent: registered\ndata: {Encoding.UTF8.GetString(data)}\n\n");
                change = new Change(frame, _next.Task);
            }
            current.SetResult(change);
        }

        private static TaskCompletionSource<Change> New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
