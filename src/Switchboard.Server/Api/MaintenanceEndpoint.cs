using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Instances;
using Switchboard.Json;
using Switchboard.Registry.Catalog;
using Switchboard.Server.Http;

namespace Switchboard.Server.Api;

/// <summary>
/// <c>PUT /service-discovery/instances/{instance_id}/maintenance</c> with <c>{"enable": true, "reason": "..."}</c>: puts an
/// instance in maintenance (a critical check whose output is the reason: discovery skips it) or ends it. Needs
/// <c>service:write</c> on its service. Answers the instance after the change.
/// </summary>
internal static class MaintenanceEndpoint
{
    public static async Task<Results<JsonHttpResult<ServiceInstance>, ProblemHttpResult>> PutAsync(
        HttpRequest request, string instance_id, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        var body = await JsonBodyReader.ReadAsync(request, SwitchboardJsonContext.Default.MaintenanceRequest, optional: false, cancellationToken);
        if (body.Errors is { } readErrors)
            return ProblemResults.Invalid(readErrors, body.StatusCode);
        if (body.Value!.Enable is not { } enable)
            return ProblemResults.Invalid("enable", "enable is required: true to start maintenance, false to end it.");
        if (body.Value.Reason is { Length: > ServiceCatalog.MaxMaintenanceReasonLength })
            return ProblemResults.Invalid("reason", $"reason must be at most {ServiceCatalog.MaxMaintenanceReasonLength} characters.");
        if (NativeRegistryApi.DenyWrite(request.HttpContext, instance_id, catalog) is { } denied)
            return denied;
        return await catalog.SetMaintenanceAsync(instance_id, enable, body.Value.Reason, cancellationToken) is { } instance
            ? TypedResults.Json(instance, SwitchboardJsonContext.Default.ServiceInstance)
            : NativeRegistryApi.UnknownInstance(instance_id);
    }
}
