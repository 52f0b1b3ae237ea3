using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Acl;

namespace Switchboard.Server.Consul;

/// <summary>The <c>/v1/agent</c> writes: service registration and deregistration, TTL check updates.</summary>
internal sealed partial class ConsulAgentEndpoints(ServiceCatalog catalog, ConsulViews views, ILogger<ConsulAgentEndpoints> logger)
{
    /// <summary>Consul's cap on a check's output (<c>CheckBufSize</c>); longer output is cut and marked.</summary>
    public const int MaxOutputLength = 4096;

    /// <summary><c>PUT /v1/agent/service/register</c>: registers or replaces a service instance with its checks; no lease.</summary>
    /// <remarks>A re-registration replaces the whole check set, as Consul's <c>?replace-existing-checks</c> does.</remarks>
    public async Task<IResult> RegisterAsync(HttpContext context)
    {
        ConsulServiceRequest request;
        try
        {
            request = ConsulServiceRequest.Parse(await ConsulBody.ReadAsync(context.Request, context.RequestAborted));
        }
        catch (ConsulDecodeException ex)
        {
            return ConsulResults.BadRequest($"Request decode failed: {ex.Message}");
        }
        var adjustments = new List<string>();
        if (!ConsulRegistration.TryBuild(request, views.Node, out var registration, out var error, adjustments))
            return ConsulResults.BadRequest(error);
        var errors = RegistrationValidator.Validate(registration!, defaultTtl: null, out var instance);
        if (errors.Count > 0)
            return ConsulResults.BadRequest($"Validation failed: {ConsulFieldNames.Describe(errors)}");
        Audit.AuditTarget.Set(context, instance!.InstanceId);
        ConsulAcl.EnsureServiceWrite(context, instance.ServiceName);
        foreach (var adjustment in adjustments)
            Log.Adjusted(logger, instance.InstanceId, adjustment);
        try
        {
            var result = await catalog.RegisterAsync(instance!, context.RequestAborted);
            Log.Registered(logger, instance!.InstanceId, instance.ServiceName, result.Created);
        }
        catch (CheckIdConflictException ex)
        {
            return ConsulResults.BadRequest($"Invalid check: CheckID \"{ex.CheckId}\" already belongs to service \"{ex.OwnerInstanceId}\"");
        }
        catch (CheckTargetRefusedException ex)
        {
            return ConsulResults.BadRequest($"Invalid check: {ex.Message}");
        }
        catch (InstanceIdOwnedException ex)
        {
            return ConsulResults.BadRequest($"Invalid service: ID \"{ex.InstanceId}\" is registered under service \"{ex.OwnerService}\"; deregister it first");
        }
        catch (CatalogFullException ex)
        {
            return ConsulResults.Text(StatusCodes.Status503ServiceUnavailable, ex.Message);
        }
        return ConsulResults.Written();
    }

    /// <summary><c>PUT /v1/agent/service/deregister/:service_id</c>: 404 for an unknown id, as Consul.</summary>
    public async Task<IResult> DeregisterAsync(HttpContext context, string id)
    {
        ConsulAcl.EnsureInstanceWrite(context, catalog, id);
        if (!await catalog.DeregisterAsync(id, context.RequestAborted))
            return ConsulResults.NotFound($"Unknown service ID \"{id}\". Ensure that the service ID is passed, not the service name.");
        Log.Deregistered(logger, id);
        return ConsulResults.Written();
    }

    /// <summary><c>PUT /v1/agent/service/maintenance/:service_id?enable=true|false&amp;reason=</c>: Consul's answers (400 without a valid <c>enable</c>, 404 for an unknown id).</summary>
    public async Task<IResult> MaintenanceAsync(HttpContext context, string id)
    {
        var query = context.Request.Query;
        if (query["enable"].ToString() is not { Length: > 0 } raw)
            return ConsulResults.BadRequest("Missing value for enable");
        if (!bool.TryParse(raw, out var enable))
            return ConsulResults.BadRequest($"Invalid value for enable: \"{raw}\"");
        var reason = query["reason"].ToString();
        if (reason.Length > ServiceCatalog.MaxMaintenanceReasonLength)
            return ConsulResults.BadRequest($"Invalid value for reason: at most {ServiceCatalog.MaxMaintenanceReasonLength} characters");
        ConsulAcl.EnsureInstanceWrite(context, catalog, id);
        if (await catalog.SetMaintenanceAsync(id, enable, reason, context.RequestAborted) is null)
            return ConsulResults.NotFound($"Unknown service ID \"{id}\". Ensure that the service ID is passed, not the service name.");
        return ConsulResults.Written();
    }

    /// <summary><c>PUT /v1/agent/check/pass|warn|fail/:check_id?note=</c>.</summary>
    public Task<IResult> ReportAsync(HttpContext context, string id, HealthStatus status)
        => UpdateAsync(context, id, status, context.Request.Query["note"].ToString());

    /// <summary><c>PUT /v1/agent/check/update/:check_id</c> with <c>{"Status": …, "Output": …}</c>.</summary>
    public async Task<IResult> UpdateAsync(HttpContext context, string id)
    {
        string status;
        string output;
        try
        {
            var body = ConsulJsonObject.From(await ConsulBody.ReadAsync(context.Request, context.RequestAborted), "body");
            status = body.String("Status") ?? "";
            output = body.String("Output") ?? "";
        }
        catch (ConsulDecodeException ex)
        {
            return ConsulResults.BadRequest($"Request decode failed: {ex.Message}");
        }
        if (status is not (HealthStatusNames.Passing or HealthStatusNames.Warning or HealthStatusNames.Critical))
            return ConsulResults.BadRequest($"Invalid check status: '{status}'");
        HealthStatusNames.TryParse(status, out var parsed);
        return await UpdateAsync(context, id, parsed, output);
    }

    private async Task<IResult> UpdateAsync(HttpContext context, string id, HealthStatus status, string output)
    {
        if (output.Length > MaxOutputLength)
            output = $"{output[..MaxOutputLength]} ... (captured {MaxOutputLength} of {output.Length} bytes)";
        _ = context.Authorizer(); // an unknown token is refused before anything is looked up
        if (catalog.FindCheck(id) is { } check)
            ConsulAcl.EnsureInstanceWrite(context, catalog, check.InstanceId);
        ServiceInstance? instance;
        try
        {
            instance = await catalog.UpdateCheckAsync(id, status, output, context.RequestAborted);
        }
        catch (InvalidOperationException)
        {
            // Consul's answer (a 500 from its agent) to a TTL update on an HTTP or TCP check.
            return ConsulResults.ServerError($"CheckID \"{id}\" does not have associated TTL");
        }
        return instance is null
            ? ConsulResults.NotFound($"Unknown check ID \"{id}\". Ensure that the check ID is passed, not the check name.")
            : ConsulResults.Written();
    }
}
