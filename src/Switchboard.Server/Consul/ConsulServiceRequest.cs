using System.Text.Json;

namespace Switchboard.Server.Consul;

/// <summary>The body of <c>PUT /v1/agent/service/register</c> (Consul's <c>ServiceDefinition</c>), as sent.</summary>
internal sealed record ConsulServiceRequest
{
    public string? Name { get; init; }

    public string? Id { get; init; }

    public string? Address { get; init; }

    public long? Port { get; init; }

    public List<string>? Tags { get; init; }

    public Dictionary<string, string>? Meta { get; init; }

    public bool EnableTagOverride { get; init; }

    public long? WeightPassing { get; init; }

    public long? WeightWarning { get; init; }

    /// <summary>The service kind (<c>connect-proxy</c>, gateways); empty for a typical service.</summary>
    public string? Kind { get; init; }

    /// <summary>Whether <c>Connect.SidecarService</c> asks for a service-mesh sidecar.</summary>
    public bool HasSidecar { get; init; }

    public ConsulCheckRequest? Check { get; init; }

    public List<ConsulCheckRequest> Checks { get; init; } = [];

    /// <summary>Reads a register body.</summary>
    /// <exception cref="ConsulDecodeException">The body is not an object or a field has the wrong type.</exception>
    public static ConsulServiceRequest Parse(JsonElement body)
    {
        var o = ConsulJsonObject.From(body, "body");
        var weights = o.Object("Weights");
        var connect = o.Object("Connect");
        var check = o.Object("Check") is { } c ? ConsulCheckRequest.Parse(c) : null;
        return new ConsulServiceRequest
        {
            Name = o.String("Name"),
            Id = o.String("ID"),
            Address = o.String("Address"),
            Port = o.Integer("Port"),
            Tags = o.Strings("Tags"),
            Meta = o.StringMap("Meta"),
            EnableTagOverride = o.Boolean("EnableTagOverride"),
            WeightPassing = weights?.Integer("Passing"),
            WeightWarning = weights?.Integer("Warning"),
            Kind = o.String("Kind"),
            HasSidecar = connect?.Has("SidecarService") ?? false,
            Check = check is { IsEmpty: true } ? null : check,
            Checks = o.Objects("Checks")?.Select(ConsulCheckRequest.Parse).ToList() ?? [],
        };
    }
}
