using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Testing;

/// <summary>A Kestrel app on 127.0.0.1 (a free port unless the test names one), its routes mapped by the test; stopped and disposed on dispose.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private TestServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>The address the server listens on (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri BaseUri { get; }

    /// <summary>The app's services.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Builds a slim app bound to 127.0.0.1:<paramref name="port"/> (0: a free one; no logging), lets <paramref name="configure"/> adjust the builder and <paramref name="map"/> map routes, and starts it.</summary>
    public static async Task<TestServer> StartAsync(Action<WebApplication> map, Action<WebApplicationBuilder>? configure = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(FormattableString.Invariant($"http://127.0.0.1:{port}"));
        builder.Logging.ClearProviders();
        configure?.Invoke(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new Uri(address));
    }

    /// <summary>Stops the server (connections refused from now on); a second call does nothing.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        await _app.StopAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
