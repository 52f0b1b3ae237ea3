namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>Where a client sends its calls: an agent's name in the history and its address.</summary>
public interface IAgentEndpoint
{
    /// <summary>Its name in the history.</summary>
    string Name { get; }

    /// <summary>Its address.</summary>
    Uri BaseUri { get; }
}
