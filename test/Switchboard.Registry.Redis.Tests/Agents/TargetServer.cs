using System.Net;

namespace Switchboard.Registry.Redis.Tests.Agents;

/// <summary>An HTTP health endpoint on 127.0.0.1 that answers 200 or 503 at will and counts its probes.</summary>
internal sealed class TargetServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private int _hits;

    public TargetServer()
    {
        Port = Ports.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public volatile bool Healthy = true;

    public int Hits => Volatile.Read(ref _hits);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref _hits);
            context.Response.StatusCode = Healthy ? 200 : 503;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
