namespace Switchboard.Instances;

/// <summary>One registered instance of a service, as the registry holds it and serves it.</summary>
public sealed record ServiceInstance
{
    /// <summary>The instance's unique id.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The service's name.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The host name or IP address.</summary>
    public required string Host { get; init; }

    /// <summary>The TCP port.</summary>
    public required int Port { get; init; }

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string Protocol { get; init; } = "http";

    /// <summary>The base path, empty or starting with <c>/</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary><c>protocol://host:port/path</c>.</summary>
    public string BaseUrl => ServiceInstanceUrls.BaseUrl(Protocol, Host, Port, Path);

    /// <summary>Tags, sorted and distinct.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>String metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = EmptyMetadata;

    /// <summary>The version, empty when none was given.</summary>
    public string Version { get; init; } = "";

    /// <summary>The relative weight for weighted policies.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>The zone, empty when none was given.</summary>
    public string Zone { get; init; } = "";

    /// <summary>The current health: the worst of <see cref="Checks"/>, or the last status the instance reported when it has none.</summary>
    public HealthStatus Status { get; init; }

    /// <summary>The lease length; empty when the instance has no lease.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>The health checks with their state; the instance is as healthy as its worst check. Empty: the instance's own reports (heartbeats) decide.</summary>
    public IReadOnlyList<InstanceCheck> Checks { get; init; } = [];

    /// <summary>The output of the last check or status report.</summary>
    public string Output { get; init; } = "";

    /// <summary>When the instance was first registered.</summary>
    public DateTimeOffset RegisteredAt { get; init; }

    /// <summary>The catalog index at which the instance was created.</summary>
    public long CreateIndex { get; init; }

    /// <summary>The catalog index of the instance's last change.</summary>
    public long ModifyIndex { get; init; }

    /// <summary>An empty metadata map.</summary>
    public static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();

    /// <summary>The worst status of <paramref name="checks"/>; passing when there are none.</summary>
    public static HealthStatus Worst(IReadOnlyList<InstanceCheck> checks)
    {
        var worst = HealthStatus.Passing;
        foreach (var check in checks)
        {
            if (check.Status > worst)
                worst = check.Status;
        }
        return worst;
    }
}

/// <summary>Builds instance URLs.</summary>
public static class ServiceInstanceUrls
{
    /// <summary><c>protocol://host:port/path</c>, with IPv6 hosts bracketed.</summary>
    public static string BaseUrl(string protocol, string host, int port, string path)
    {
        var h = host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
        return $"{protocol}://{h}:{port}{path}";
    }
}
