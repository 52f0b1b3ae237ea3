namespace Switchboard.Client.LoadBalancing;

/// <summary>The default <see cref="IRandomFactory"/>: the thread-safe <see cref="Random.Shared"/>, no allocation per pick.</summary>
internal sealed class SharedRandomFactory : IRandomFactory
{
    public Random CreateRandomInstance() => Random.Shared;
}
