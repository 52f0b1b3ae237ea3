using Switchboard.Client.LoadBalancing;

namespace Switchboard.Client.Tests.LoadBalancing;

public sealed class LoadBalancingPolicyProviderTests
{
    private static LoadBalancingPolicyProvider Create()
    {
        var random = new SharedRandomFactory();
        return new LoadBalancingPolicyProvider([
            new RoundRobinPolicy(), new RandomPolicy(random), new WeightedRandomPolicy(random),
            new LeastConnectionsPolicy(), new PowerOfTwoChoicesPolicy(random), new FirstAvailablePolicy()]);
    }

    [Theory]
    [InlineData("RoundRobin", LoadBalancingPolicies.RoundRobin)]
    [InlineData("round_robin", LoadBalancingPolicies.RoundRobin)]
    [InlineData("least-connections", LoadBalancingPolicies.LeastConnections)]
    [InlineData("WEIGHTEDRANDOM", LoadBalancingPolicies.WeightedRandom)]
    [InlineData("", LoadBalancingPolicies.PowerOfTwoChoices)]
    [InlineData(null, LoadBalancingPolicies.PowerOfTwoChoices)]
    public void Get_NameVariants_FindPolicy(string? name, string expected) => Assert.Equal(expected, Create().Get(name).Name);

    [Fact]
    public void Get_UnknownName_ThrowsListingKnownNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => Create().Get("fastest"));
        Assert.Contains("'fastest'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PowerOfTwoChoices", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_AllBuiltIns_AreListed() => Assert.Equal(6, Create().Names.Count);
}
