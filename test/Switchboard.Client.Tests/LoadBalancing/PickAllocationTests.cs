using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.LoadBalancing;

public sealed class PickAllocationTests
{
    public static TheoryData<string> PolicyNames => [.. new[]
    {
        LoadBalancingPolicies.RoundRobin, LoadBalancingPolicies.Random, LoadBalancingPolicies.WeightedRandom,
        LoadBalancingPolicies.LeastConnections, LoadBalancingPolicies.PowerOfTwoChoices, LoadBalancingPolicies.FirstAvailable,
    }];

    [Theory]
    [MemberData(nameof(PolicyNames))]
    public void Pick_ManyTimes_AllocatesNothing(string name)
    {
        var random = new SharedRandomFactory();
        var provider = new LoadBalancingPolicyProvider([
            new RoundRobinPolicy(), new RandomPolicy(random), new WeightedRandomPolicy(random),
            new LeastConnectionsPolicy(), new PowerOfTwoChoicesPolicy(random), new FirstAvailablePolicy()]);
        var policy = provider.Get(name);
        var endpoints = TestEndpoints.Create(5, 1, 2, 3, 4, 5);
        endpoints[1].SetEjected(true);
        var state = new LoadBalancingState();
        for (var i = 0; i < 100; i++)
            policy.Pick(endpoints, state);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            using var scope = policy.Pick(endpoints, state)!.BeginRequest();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
