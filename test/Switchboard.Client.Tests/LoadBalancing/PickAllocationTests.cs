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
    public void Pick_AmongCandidatesWithOneEjected_AllocatesNothing(string name)
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
            PolicyTestHelpers.PickCandidate(policy, endpoints, state);

        // The runtime may allocate once on this thread while it re-compiles the method (tiering); a pick that
        // allocates would allocate in every round, so the quietest of three rounds must be zero.
        var rounds = new long[3];
        for (var round = 0; round < rounds.Length; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                using var scope = PolicyTestHelpers.PickCandidate(policy, endpoints, state)!.BeginRequest();
            }
            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Assert.Equal(0, rounds.Min());
    }
}
