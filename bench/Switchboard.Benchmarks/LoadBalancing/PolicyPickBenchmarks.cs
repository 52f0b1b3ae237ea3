using BenchmarkDotNet.Attributes;
using Switchboard.Client.Endpoints;
using Switchboard.Client.LoadBalancing;
using Switchboard.Instances;

namespace Switchboard.Benchmarks.LoadBalancing;

/// <summary>Cost and allocations of one pick of each policy over 8 instances, one of them ejected: the candidates computed as a call does, then the policy.</summary>
[MemoryDiagnoser]
public class PolicyPickBenchmarks
{
    private readonly LoadBalancingState _state = new();
    private InstanceEndpoint[] _endpoints = [];
    private ILoadBalancingPolicy _roundRobin = null!;
    private ILoadBalancingPolicy _random = null!;
    private ILoadBalancingPolicy _weighted = null!;
    private ILoadBalancingPolicy _least = null!;
    private ILoadBalancingPolicy _p2c = null!;
    private ILoadBalancingPolicy _first = null!;

    [GlobalSetup]
    public void Setup()
    {
        _endpoints = [.. Enumerable.Range(0, 8).Select(i => new InstanceEndpoint(new ServiceInstance
        {
            InstanceId = $"svc-{i}",
            ServiceName = "svc",
            Host = "127.0.0.1",
            Port = 9000 + i,
            Weight = i + 1,
        }))];
        _endpoints[3].SetEjected(true);
        var random = new SharedRandomFactory();
        _roundRobin = new RoundRobinPolicy();
        _random = new RandomPolicy(random);
        _weighted = new WeightedRandomPolicy(random);
        _least = new LeastConnectionsPolicy();
        _p2c = new PowerOfTwoChoicesPolicy(random);
        _first = new FirstAvailablePolicy();
    }

    [Benchmark(Baseline = true)]
    public InstanceEndpoint? FirstAvailable() => Pick(_first);

    [Benchmark]
    public InstanceEndpoint? RoundRobin() => Pick(_roundRobin);

    [Benchmark]
    public InstanceEndpoint? Random() => Pick(_random);

    [Benchmark]
    public InstanceEndpoint? WeightedRandom() => Pick(_weighted);

    [Benchmark]
    public InstanceEndpoint? LeastConnections() => Pick(_least);

    [Benchmark]
    public InstanceEndpoint? PowerOfTwoChoices() => Pick(_p2c);

    private InstanceEndpoint? Pick(ILoadBalancingPolicy policy)
    {
        var buffer = default(Candidates.Buffer);
        return policy.Pick(Candidates.Select(_endpoints, null, buffer, out _), _state);
    }
}
