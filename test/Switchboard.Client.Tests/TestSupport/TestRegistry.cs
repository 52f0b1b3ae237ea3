using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registration;

namespace Switchboard.Client.Tests.TestSupport;

/// <summary>
/// An in-memory registry speaking the native API (register, heartbeat, deregister, instances with blocking
/// queries) on real Kestrel at 127.0.0.1, with switches for faults. Stands in for the agent in unit-level tests.
/// </summary>
internal sealed class TestRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceInstance> _instances = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _serviceIndex = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private long _index = 1;

    public Uri BaseUri { get; private set; } = null!;

    public int Port => BaseUri.Port;

    /// <summary>When true every route answers 200 with an HTML page.</summary>
    public bool Garbage { get; set; }

    public int Registers;
    public int Heartbeats;
    public int Deregisters;

    public IReadOnlyCollection<ServiceInstance> Instances => [.. _instances.Values];

    public static async Task<TestRegistry> StartAsync(int port = 0)
    {
        var registry = new TestRegistry();
        await registry.StartServerAsync(port);
        return registry;
    }

    /// <summary>Stops the server (connections refused) without forgetting the port.</summary>
    public async Task StopAsync()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>Starts again on the same port with an empty catalog, as <c>agent --dev</c> does after a restart.</summary>
    public async Task RestartEmptyAsync()
    {
        await StopAsync();
        _instances.Clear();
        _serviceIndex.Clear();
        await StartServerAsync(Port);
    }

    public long Upsert(ServiceInstance instance)
    {
        lock (_lock)
        {
            var index = ++_index;
            _instances[instance.InstanceId] = instance with { ModifyIndex = index, CreateIndex = index };
            return Bump(instance.ServiceName, index);
        }
    }

    public bool Remove(string instanceId)
    {
        lock (_lock)
        {
            if (!_instances.TryRemove(instanceId, out var removed))
                return false;
            Bump(removed.ServiceName, ++_index);
            return true;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private long Bump(string service, long index)
    {
        _serviceIndex[service] = index;
        var old = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        old.TrySetResult();
        return index;
    }

    private async Task StartServerAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (Garbage)
            {
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>502 Bad Gateway (proxy)</body></html>");
                return;
            }
            await next(context);
        });
        app.MapPost(RegistryRoutes.Register, RegisterAsync);
        app.MapPut(RegistryRoutes.HeartbeatTemplate, (string instance_id, HttpContext context) => HeartbeatAsync(instance_id, context));
        app.MapDelete(RegistryRoutes.InstanceTemplate, (string instance_id) =>
        {
            Interlocked.Increment(ref Deregisters);
            return Remove(instance_id) ? Results.Ok() : Results.NotFound();
        });
        app.MapGet(RegistryRoutes.InstancesTemplate, (string service_name, HttpContext context) => InstancesAsync(service_name, context));
        await app.StartAsync();
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUri = new Uri(address);
    }

    private async Task RegisterAsync(HttpContext context)
    {
        Interlocked.Increment(ref Registers);
        var registration = await context.Request.ReadFromJsonAsync(SwitchboardJsonContext.Default.ServiceRegistration);
        var errors = RegistrationValidator.Validate(registration!, TimeSpan.FromSeconds(30), out var instance);
        if (errors.Count > 0)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object> { ["title"] = "invalid", ["errors"] = errors });
            return;
        }
        var id = instance!.InstanceId;
        var created = !_instances.ContainsKey(id);
        var index = Upsert(instance);
        context.Response.StatusCode = created ? 201 : 200;
        await context.Response.WriteAsJsonAsync(new RegisterResponse(id, instance.ServiceName, created, index), SwitchboardJsonContext.Default.RegisterResponse);
    }

    private async Task HeartbeatAsync(string instanceId, HttpContext context)
    {
        Interlocked.Increment(ref Heartbeats);
        if (!_instances.TryGetValue(instanceId, out var instance))
        {
            context.Response.StatusCode = 404;
            return;
        }
        await context.Response.WriteAsJsonAsync(new HeartbeatResponse(instanceId, instance.Status.ToWireName(), null), SwitchboardJsonContext.Default.HeartbeatResponse);
    }

    private async Task InstancesAsync(string service, HttpContext context)
    {
        var query = context.Request.Query;
        var blocking = long.TryParse(query["index"], NumberStyles.None, CultureInfo.InvariantCulture, out var after);
        var wait = Durations.TryParse(query["wait"], out var w) ? w : TimeSpan.FromSeconds(30);
        var deadline = Task.Delay(wait, context.RequestAborted);
        while (blocking && CurrentIndex(service) <= after && !deadline.IsCompleted)
        {
            Task changed;
            lock (_lock)
                changed = _changed.Task;
            if (CurrentIndex(service) > after)
                break;
            await Task.WhenAny(changed, deadline);
        }
        var instances = _instances.Values.Where(i => i.ServiceName == service).OrderBy(i => i.InstanceId, StringComparer.Ordinal).ToArray();
        context.Response.Headers[RegistryRoutes.IndexHeader] = CurrentIndex(service).ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(instances, SwitchboardJsonContext.Default.ServiceInstanceArray);
    }

    private long CurrentIndex(string service) => _serviceIndex.TryGetValue(service, out var i) ? i : Interlocked.Read(ref _index);
}
