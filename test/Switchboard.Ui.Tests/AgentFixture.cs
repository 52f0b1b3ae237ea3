namespace Switchboard.Ui.Tests;

/// <summary>One real <c>switchboard agent --dev</c> on a free loopback port for a test class; killed at its end.</summary>
public sealed class AgentFixture : IAsyncLifetime
{
    public ServiceProcess Agent { get; private set; } = null!;

    public AgentApi Api => new(Agent);

    public async ValueTask InitializeAsync() => Agent = await AgentProcess.StartAsync("--dev");

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null)
            await Agent.DisposeAsync();
    }
}
