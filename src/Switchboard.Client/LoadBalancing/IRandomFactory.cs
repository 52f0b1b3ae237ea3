namespace Switchboard.Client.LoadBalancing;

/// <summary>Supplies the randomness of the random policies, so tests can make them deterministic.</summary>
public interface IRandomFactory
{
    /// <summary>Returns the <see cref="Random"/> to draw from for one pick; it must be safe to use from the calling thread.</summary>
    /// <returns>A random number generator.</returns>
    Random CreateRandomInstance();
}
