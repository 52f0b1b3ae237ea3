using Switchboard.Client.LoadBalancing;

namespace Switchboard.Client.Tests.TestSupport;

internal sealed class FixedRandomFactory(Random random) : IRandomFactory
{
    public Random CreateRandomInstance() => random;
}
