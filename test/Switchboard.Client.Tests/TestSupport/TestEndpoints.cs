using Switchboard.Client.Endpoints;
using Switchboard.Instances;

namespace Switchboard.Client.Tests.TestSupport;

internal static class TestEndpoints
{
    public static ServiceInstance Instance(string service, int i, int weight = 1, HealthStatus status = HealthStatus.Passing) => new()
    {
        InstanceId = $"{service}-{i}",
        ServiceName = service,
        Host = "127.0.0.1",
        Port = 9000 + i,
        Weight = weight,
        Status = status,
    };

    public static InstanceEndpoint[] Create(int count, params int[] weights)
    {
        var result = new InstanceEndpoint[count];
        for (var i = 0; i < count; i++)
            result[i] = new InstanceEndpoint(Instance("svc", i, i < weights.Length ? weights[i] : 1));
        return result;
    }
}
