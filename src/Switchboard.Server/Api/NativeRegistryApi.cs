using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Acl;
using Switchboard.Server.Http;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Api;

/// <summary>The native registry API: seed 001's routes and JSON shapes, plus heartbeats, blocking queries and events.</summary>
internal static class NativeRegistryApi
{
    /// <summary>Maps every native route under <c>/service-discovery</c> and the registry's <c>/health</c>.</summary>
    public static IEndpointRouteBuilder MapNativeRegistryApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(RegistryRoutes.Prefix).WithTags("Switchboard");
        // Only the writes reach the store; the reads stay free of the filter's cost.
        api.MapPost("/register", RegisterAsync).AddEndpointFilter(StoreUnavailableFilter.Instance);
        api.MapMethods("/instances/{instance_id}/heartbeat", ["PUT", "POST"], HeartbeatAsync).AddEndpointFilter(StoreUnavailableFilter.Instance);
        api.MapDelete("/instances/{instance_id}", DeregisterAsync).AddEndpointFilter(StoreUnavailableFilter.Instance);
        api.MapPut("/instances/{instance_id}/maintenance", MaintenanceEndpoint.PutAsync).AddEndpointFilter(StoreUnavailableFilter.Instance);
        api.MapGet("/instances/{instance_id}", GetInstance);
        api.MapGet("/discover/{service_name}", Discover);
        api.MapGet("/services", (HttpContext context, ServiceCatalog catalog) => ListServices(context, catalog, healthyOnly: false, tag: null));
        api.MapGet("/services/healthy", (HttpContext context, ServiceCatalog catalog) => ListServices(context, catalog, healthyOnly: true, tag: null));
        api.MapGet("/services/by-tag/{tag}", (HttpContext context, ServiceCatalog catalog, string tag) => ListServices(context, catalog, healthyOnly: false, tag));
        api.MapGet("/services/{service_name}/instances", InstancesAsync);
        api.MapGet("/health/aggregated", AggregatedHealth);
        api.MapGet("/events", CatalogEventStream.StreamAsync);
        KeyValueEndpoints.Map(api);
        endpoints.MapGet(RegistryRoutes.Health, RegistryHealthEndpoint.Get);
        return endpoints;
    }

    internal static async Task<Results<JsonHttpResult<RegisterResponse>, ProblemHttpResult>> RegisterAsync(
        HttpRequest request, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        var body = await JsonBodyReader.ReadAsync(request, SwitchboardJsonContext.Default.ServiceRegistration, optional: false, cancellationToken);
        if (body.Errors is { } readErrors)
            return ProblemResults.Invalid(readErrors, body.StatusCode);
        var errors = RegistrationValidator.Validate(body.Value!, catalog.Options.DefaultTtl, out var instance);
        if (errors.Count > 0)
            return ProblemResults.Invalid(errors);
        Audit.AuditTarget.Set(request.HttpContext, instance!.InstanceId);
        if (NativeAcl.Deny(request.HttpContext, NativeAcl.ServiceWrite, instance.ServiceName) is { } denied)
            return denied;
        RegisterResult result;
        try
        {
            result = await catalog.RegisterAsync(instance!, cancellationToken);
        }
        catch (CatalogFullException ex)
        {
            return ProblemResults.Unavailable("The catalog is full.", ex.Message);
        }
        catch (CheckIdConflictException ex)
        {
            return ProblemResults.Invalid(new() { [$"checks[{ex.Position}].id"] = [ex.Message] }, StatusCodes.Status409Conflict);
        }
        catch (CheckTargetRefusedException ex)
        {
            return ProblemResults.Invalid(ex.Field, ex.Message);
        }
        catch (InstanceIdOwnedException ex)
        {
            return ProblemResults.Invalid(new() { ["instance_id"] = [ex.Message] }, StatusCodes.Status409Conflict);
        }
        var response = new RegisterResponse(result.Instance.InstanceId, result.Instance.ServiceName, result.Created, result.Index);
        var headers = request.HttpContext.Response.Headers;
        headers[RegistryRoutes.IndexHeader] = result.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (result.Created)
            headers.Location = RegistryRoutes.Instance(response.InstanceId);
        return TypedResults.Json(response, SwitchboardJsonContext.Default.RegisterResponse,
            statusCode: result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    internal static async Task<Results<JsonHttpResult<HeartbeatResponse>, ProblemHttpResult>> HeartbeatAsync(
        HttpRequest request, string instance_id, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        var body = await JsonBodyReader.ReadAsync(request, SwitchboardJsonContext.Default.HeartbeatRequest, optional: true, cancellationToken);
        if (body.Errors is { } readErrors)
            return ProblemResults.Invalid(readErrors, body.StatusCode);
        HealthStatus? status = null;
        if (body.Value?.Status is { Length: > 0 } reported)
        {
            if (!HealthStatusNames.TryParse(reported, out var parsed))
                return ProblemResults.Invalid("status", "status must be one of passing, warning, critical.");
            status = parsed;
        }
        if (body.Value?.Output is { Length: > 4096 })
            return ProblemResults.Invalid("output", "output must be at most 4096 characters.");
        if (DenyWrite(request.HttpContext, instance_id, catalog) is { } denied)
            return denied;
        var result = await catalog.HeartbeatAsync(instance_id, status, body.Value?.Output, cancellationToken);
        if (result is null)
            return UnknownInstance(instance_id);
        return TypedResults.Json(new HeartbeatResponse(instance_id, result.Instance.Status.ToWireName(), result.LeaseExpiresAt),
            SwitchboardJsonContext.Default.HeartbeatResponse);
    }

    internal static async Task<Results<Ok, ProblemHttpResult>> DeregisterAsync(HttpContext context, string instance_id, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        if (DenyWrite(context, instance_id, catalog) is { } denied)
            return denied;
        return await catalog.DeregisterAsync(instance_id, cancellationToken) ? TypedResults.Ok() : UnknownInstance(instance_id);
    }

    internal static Results<JsonHttpResult<InstanceDetails>, ProblemHttpResult> GetInstance(HttpContext context, string instance_id, ServiceCatalog catalog)
    {
        if (!NativeAcl.TryAuthorize(context, out _, out var notFound))
            return notFound;
        if (catalog.GetInstanceDetails(instance_id) is not { } runtime)
            return UnknownInstance(instance_id);
        if (NativeAcl.Deny(context, NativeAcl.ServiceRead, runtime.Instance.ServiceName) is { } denied)
            return denied;
        var details = new InstanceDetails(runtime.Instance, runtime.LastHeartbeat, runtime.LeaseExpiresAt, runtime.LatestOutput)
        {
            Checks = runtime.Checks,
            Transitions = runtime.Transitions,
        };
        return TypedResults.Json(details, SwitchboardJsonContext.Default.InstanceDetails);
    }

    /// <summary>
    /// Null when the request may write the service <paramref name="instanceId"/> belongs to (or the instance is unknown: the
    /// handler answers 404); else the 403. The token is resolved first, so an unknown token learns nothing about ids.
    /// </summary>
    internal static ProblemHttpResult? DenyWrite(HttpContext context, string instanceId, ServiceCatalog catalog)
    {
        if (!NativeAcl.TryAuthorize(context, out _, out var notFound))
            return notFound;
        return catalog.GetInstance(instanceId) is { } runtime ? NativeAcl.Deny(context, NativeAcl.ServiceWrite, runtime.Instance.ServiceName) : null;
    }

    // Each instance record is immutable, so its discover answer is serialized once and reused until the record is replaced.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ServiceInstance, byte[]> DiscoverBytes = [];

    internal static Results<FileContentHttpResult, ProblemHttpResult> Discover(HttpContext context, string service_name, ServiceCatalog catalog)
    {
        if (ServiceNames.Validate(service_name) is { } error)
            return ProblemResults.Invalid("service_name", $"service_name {error}.");
        if (NativeAcl.Deny(context, NativeAcl.ServiceRead, service_name) is { } denied)
            return denied;
        var instance = catalog.PickRoundRobin(service_name, out var known);
        if (instance is null)
        {
            return known
                ? ProblemResults.Unavailable("No healthy instance.", $"Service '{service_name}' has instances but none is healthy.")
                : ProblemResults.NotFound($"Service '{service_name}' is not registered.");
        }
        var bytes = DiscoverBytes.GetValue(instance, static i => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            new DiscoverResponse(i.ServiceName, i.BaseUrl, HealthStatusNames.Healthy, i.InstanceId), SwitchboardJsonContext.Default.DiscoverResponse));
        return TypedResults.Bytes(bytes, "application/json");
    }

    private static IResult ListServices(HttpContext context, ServiceCatalog catalog, bool healthyOnly, string? tag)
        => NativeAcl.TryAuthorize(context, out var acl, out var problem)
            ? TypedResults.Json(catalog.ListServices(healthyOnly, tag).Readable(acl), SwitchboardJsonContext.Default.ServiceList)
            : problem;

    private static IResult AggregatedHealth(HttpContext context, ServiceCatalog catalog)
        => NativeAcl.TryAuthorize(context, out var acl, out var problem)
            ? TypedResults.Json(catalog.GetAggregatedHealth().Readable(acl), SwitchboardJsonContext.Default.AggregatedHealth)
            : problem;

    internal static async Task<IResult> InstancesAsync(HttpContext context, string service_name, ServiceCatalog catalog, ServerLimits limits)
    {
        if (ServiceNames.Validate(service_name) is { } error)
            return ProblemResults.Invalid("service_name", $"service_name {error}.");
        var errors = InstanceQuery.TryParse(context.Request.Query, catalog.Options.MaxWait, out var query);
        if (errors.Count > 0)
            return ProblemResults.Invalid(errors);
        if (NativeAcl.Deny(context, NativeAcl.ServiceRead, service_name) is { } denied)
            return denied;
        ServiceView? view;
        if (query!.Index is { } index)
        {
            // A blocking query holds a slot while it is parked: per client and in all (429 / 503 past them).
            if (!limits.BlockingQueries.TryAcquire(context, out var slot, out var refusal))
                return refusal!.Problem(context);
            using (slot)
                view = await catalog.WaitForServiceAsync(service_name, index, query.Wait, context.RequestAborted);
        }
        else
        {
            view = catalog.GetService(service_name);
        }
        context.Response.Headers[RegistryRoutes.IndexHeader] = (view?.Index ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Bytes(view?.ToJson(query.Filter) ?? EmptyArray, "application/json");
    }

    private static readonly byte[] EmptyArray = "[]"u8.ToArray();

    internal static ProblemHttpResult UnknownInstance(string instanceId)
        => ProblemResults.NotFound($"Instance '{instanceId}' is not registered (it may have expired or the registry restarted): register it again.");
}
