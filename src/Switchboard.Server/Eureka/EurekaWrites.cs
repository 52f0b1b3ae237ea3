using Microsoft.AspNetCore.Http;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Eureka;

/// <summary>Eureka's writes: register, renew, cancel, status overrides and metadata updates, over the one catalog.</summary>
internal sealed class EurekaWrites(ServiceCatalog catalog)
{
    /// <summary>The query parameter that carries an ACL token on every route.</summary>
    private const string TokenParameter = "token";

    /// <summary><c>POST /eureka/apps/{app}</c>: registers or replaces the instance; 204 as Eureka answers.</summary>
    public async Task<IResult> RegisterAsync(HttpContext context, string app)
    {
        var node = await EurekaBody.ReadInstanceAsync(context.Request, context.RequestAborted);
        var (registration, status) = EurekaRegistration.Build(node, app);
        var errors = RegistrationValidator.Validate(registration, defaultTtl: null, out var instance);
        if (errors.Count > 0)
        {
            var (field, messages) = errors.First();
            throw new EurekaRequestException(EurekaRegistration.FieldOf(field, registration), string.Join(" ", messages));
        }
        var health = EurekaStatus.ToHealth(status);
        instance = instance! with { Status = health };
        Audit.AuditTarget.Set(context, instance.InstanceId);
        context.Authorizer().ServiceWrite(instance.ServiceName).ThrowIfDenied();
        RegisterResult result;
        try
        {
            result = await catalog.RegisterAsync(instance, context.RequestAborted);
        }
        catch (InstanceIdOwnedException ex)
        {
            throw new EurekaRequestException("instance.instanceId", $"instance.instanceId \"{ex.InstanceId}\" is registered under service \"{ex.OwnerService}\"; cancel it first.", StatusCodes.Status409Conflict);
        }
        // A re-registration keeps the status the instance had: its Eureka status is applied as a heartbeat would.
        if (!result.Created && result.Instance.Status != health)
            await catalog.HeartbeatAsync(instance.InstanceId, health, cancellationToken: context.RequestAborted);
        return Results.NoContent();
    }

    /// <summary><c>PUT /eureka/apps/{app}/{id}</c>: renews the lease, reasserting the instance's own status; 404 when unknown (the client registers again).</summary>
    public async Task<IResult> RenewAsync(HttpContext context, string app, string id)
    {
        if (Find(context, app, id) is not { } instance)
            return Unknown(context, app, id);
        if (await catalog.HeartbeatAsync(id, OwnHealth(instance), cancellationToken: context.RequestAborted) is null)
            return Unknown(context, app, id);
        return Results.Ok();
    }

    /// <summary><c>DELETE /eureka/apps/{app}/{id}</c>: removes the instance; 200, or 404 when unknown.</summary>
    public async Task<IResult> CancelAsync(HttpContext context, string app, string id)
    {
        if (Find(context, app, id) is null || !await catalog.DeregisterAsync(id, context.RequestAborted))
            return Unknown(context, app, id);
        return Results.Ok();
    }

    /// <summary>
    /// <c>PUT /eureka/apps/{app}/{id}/status?value=OUT_OF_SERVICE</c>: a status override, kept as the instance's
    /// maintenance check (it hides the instance from every API's discovery and survives renewals and re-registrations).
    /// <c>value=UP</c> removes the override.
    /// </summary>
    public async Task<IResult> OverrideStatusAsync(HttpContext context, string app, string id)
    {
        var raw = context.Request.Query["value"].ToString();
        var value = EurekaStatus.Parse(raw)
            ?? throw new EurekaRequestException("value", raw.Length == 0
                ? $"The query parameter value is required: one of {string.Join(", ", EurekaStatus.All)}."
                : $"value \"{raw}\" is not a Eureka status ({string.Join(", ", EurekaStatus.All)}).");
        if (value == EurekaStatus.Up)
            return await RemoveOverrideAsync(context, app, id);
        if (Find(context, app, id) is null || await catalog.SetMaintenanceAsync(id, true, EurekaStatus.OverrideReason(value), context.RequestAborted) is null)
            return Unknown(context, app, id);
        return Results.Ok();
    }

    /// <summary><c>DELETE /eureka/apps/{app}/{id}/status</c>: removes the override; the instance's own status applies again.</summary>
    public async Task<IResult> RemoveOverrideAsync(HttpContext context, string app, string id)
    {
        if (Find(context, app, id) is not { } instance || await catalog.SetMaintenanceAsync(id, false, null, context.RequestAborted) is null)
            return Unknown(context, app, id);
        // Without its maintenance check an instance without checks is passing until it reports; it reports its own status now.
        await catalog.HeartbeatAsync(id, OwnHealth(instance), cancellationToken: context.RequestAborted);
        return Results.Ok();
    }

    /// <summary><c>PUT /eureka/apps/{app}/{id}/metadata?key=value</c>: sets metadata entries (others are kept).</summary>
    public async Task<IResult> UpdateMetadataAsync(HttpContext context, string app, string id)
    {
        // ?token= is the request's ACL token (as on every route), never metadata: a secret must not be stored and shown.
        var entries = context.Request.Query.Where(p => p.Key != TokenParameter).ToList();
        if (entries.Count == 0)
            throw new EurekaRequestException("metadata", "Name at least one metadata entry as a query parameter: ?key=value.");
        foreach (var (key, _) in entries)
        {
            if (key.StartsWith(EurekaMeta.Prefix, StringComparison.Ordinal))
                throw new EurekaRequestException($"metadata.{key}", $"metadata keys may not start with '{EurekaMeta.Prefix}': Switchboard keeps Eureka's own fields there.");
        }
        if (Find(context, app, id) is not { } instance)
            return Unknown(context, app, id);
        var merged = new Dictionary<string, string>(instance.Metadata, StringComparer.Ordinal);
        foreach (var (key, value) in entries)
            merged[key] = value.ToString();
        var errors = RegistrationValidator.Validate(new ServiceRegistration { ServiceName = instance.ServiceName, Host = instance.Host, Port = instance.Port, Metadata = merged }, null, out _);
        if (errors.Count > 0)
        {
            var (field, messages) = errors.First();
            throw new EurekaRequestException(field, string.Join(" ", messages));
        }
        var updated = instance with
        {
            Metadata = merged,
            Checks = [.. instance.Checks.Where(c => !c.CheckId.StartsWith(ServiceCatalog.MaintenanceCheckPrefix, StringComparison.Ordinal))],
        };
        await catalog.RegisterAsync(updated, context.RequestAborted);
        return Results.Ok();
    }

    /// <summary>The instance <paramref name="id"/> of application <paramref name="app"/>, after checking the token may write it; null when unknown.</summary>
    private ServiceInstance? Find(HttpContext context, string app, string id)
    {
        var acl = context.Authorizer(); // an unknown token is refused before anything is looked up
        if (catalog.GetInstance(id)?.Instance is not { } instance || instance.ServiceName != EurekaNames.Map(app))
            return null;
        acl.ServiceWrite(instance.ServiceName).ThrowIfDenied();
        return instance;
    }

    private static HealthStatus OwnHealth(ServiceInstance instance)
        => EurekaStatus.ToHealth(EurekaStatus.Parse(EurekaMeta.Get(instance.Metadata, EurekaMeta.Status)) ?? EurekaStatus.Up);

    private static IResult Unknown(HttpContext context, string app, string id)
        => EurekaResults.NotFound(context, $"Application \"{app}\" has no instance \"{id}\".");
}
