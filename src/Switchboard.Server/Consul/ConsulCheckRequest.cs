namespace Switchboard.Server.Consul;

/// <summary>One check of a Consul service registration (Consul's <c>CheckType</c>), as sent.</summary>
internal sealed record ConsulCheckRequest
{
    public string? CheckId { get; init; }

    public string? Name { get; init; }

    public string? Status { get; init; }

    public string? Http { get; init; }

    public string? Tcp { get; init; }

    public TimeSpan? Ttl { get; init; }

    public TimeSpan? Interval { get; init; }

    public TimeSpan? Timeout { get; init; }

    public TimeSpan? DeregisterCriticalServiceAfter { get; init; }

    public long? SuccessBeforePassing { get; init; }

    public long? FailuresBeforeCritical { get; init; }

    public string? Method { get; init; }

    public string? Body { get; init; }

    public bool HasHeader { get; init; }

    public bool TlsSkipVerify { get; init; }

    public string? TlsServerName { get; init; }

    /// <summary>The Consul field of a check kind Switchboard does not run (script, gRPC, H2PING, UDP, OS service, Docker, alias), when one is set.</summary>
    public string? UnsupportedKind { get; init; }

    /// <summary>True when nothing was set: Consul ignores an empty <c>Check</c>.</summary>
    public bool IsEmpty { get; init; }

    /// <summary>Whether the check is probed on an interval (Consul's "interval check").</summary>
    public bool IsIntervalCheck => !string.IsNullOrEmpty(Http) || !string.IsNullOrEmpty(Tcp) || UnsupportedKind is not null and not ("AliasService" or "AliasNode");

    /// <summary>Reads a check object.</summary>
    /// <exception cref="ConsulDecodeException">A field has the wrong type or a duration does not parse.</exception>
    public static ConsulCheckRequest Parse(ConsulJsonObject o)
    {
        string? unsupported = null;
        foreach (var field in (ReadOnlySpan<string>)["Args", "ScriptArgs", "Script", "GRPC", "H2PING", "UDP", "OSService", "DockerContainerID", "AliasService", "AliasNode"])
        {
            if (o.TryGet(field, out var value) && !(value.ValueKind == System.Text.Json.JsonValueKind.String && value.GetString()!.Length == 0)
                && !(value.ValueKind == System.Text.Json.JsonValueKind.Array && value.GetArrayLength() == 0))
            {
                unsupported = field;
                break;
            }
        }
        var check = new ConsulCheckRequest
        {
            CheckId = o.String("CheckID") ?? o.String("ID"),
            Name = o.String("Name"),
            Status = o.String("Status"),
            Http = o.String("HTTP"),
            Tcp = o.String("TCP"),
            Ttl = o.Duration("TTL"),
            Interval = o.Duration("Interval"),
            Timeout = o.Duration("Timeout"),
            DeregisterCriticalServiceAfter = o.Duration("DeregisterCriticalServiceAfter"),
            SuccessBeforePassing = o.Integer("SuccessBeforePassing"),
            FailuresBeforeCritical = o.Integer("FailuresBeforeCritical"),
            Method = o.String("Method"),
            Body = o.String("Body"),
            HasHeader = o.TryGet("Header", out var header) && header.ValueKind == System.Text.Json.JsonValueKind.Object && header.EnumerateObject().Any(),
            TlsSkipVerify = o.Boolean("TLSSkipVerify"),
            TlsServerName = o.String("TLSServerName"),
            UnsupportedKind = unsupported,
        };
        o.String("Notes"); // accepted (type-checked) and not kept
        return check with
        {
            IsEmpty = unsupported is null && check.CheckId is null && check.Name is null && check.Status is null
                && string.IsNullOrEmpty(check.Http) && string.IsNullOrEmpty(check.Tcp) && check.Ttl is null && check.Interval is null,
        };
    }
}
