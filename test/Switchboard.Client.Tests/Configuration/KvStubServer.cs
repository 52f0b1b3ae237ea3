using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Client.Tests.Configuration;

/// <summary>How a <see cref="KvStubServer"/> answers.</summary>
internal enum KvStubMode
{
    Normal,
    Forbidden,
    Garbage,
}

/// <summary>
/// A Consul <c>/v1/kv</c> stand-in on real Kestrel for the provider's failure paths (refusals, garbage); the success
/// paths are tested against the real agent. Blocks a query whose index is current until a change or its wait.
/// </summary>
internal sealed class KvStubServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _index = 1;
    private TestServer _server = null!;

    public KvStubMode Mode { get; set; }

    public Uri BaseUri => _server.BaseUri;

    public List<string> Tokens { get; } = [];

    public static async Task<KvStubServer> StartAsync()
    {
        var stub = new KvStubServer();
        stub._server = await TestServer.StartAsync(app => app.MapGet("/v1/kv/{**key}", stub.AnswerAsync));
        return stub;
    }

    public void Put(string key, string value)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _keys[key] = value;
            _index++;
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    private async Task AnswerAsync(HttpContext context, string? key)
    {
        lock (_gate)
            Tokens.Add(context.Request.Headers["X-Consul-Token"].ToString());
        switch (Mode)
        {
            case KvStubMode.Forbidden:
                context.Response.StatusCode = 403;
                await context.Response.WriteAsync("Permission denied: token lacks key:read");
                return;
            case KvStubMode.Garbage:
                await context.Response.WriteAsync("<html>502 Bad Gateway</html>");
                return;
        }
        var index = long.Parse(context.Request.Query["index"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
        Task changed;
        lock (_gate)
            changed = index >= _index ? _changed.Task : Task.CompletedTask;
        var wait = context.Request.Query["wait"].FirstOrDefault() is { } w ? TimeSpan.FromSeconds(int.Parse(w.TrimEnd('s'), CultureInfo.InvariantCulture)) : TimeSpan.Zero;
        await Task.WhenAny(changed, Task.Delay(wait, context.RequestAborted));
        string json;
        lock (_gate)
        {
            context.Response.Headers["X-Consul-Index"] = _index.ToString(CultureInfo.InvariantCulture);
            var prefix = key ?? "";
            json = "[" + string.Join(",", _keys.Where(k => k.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(k =>
                $$"""{"Key":"{{k.Key}}","Flags":0,"Value":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(k.Value))}}","CreateIndex":1,"ModifyIndex":1}""")) + "]";
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
