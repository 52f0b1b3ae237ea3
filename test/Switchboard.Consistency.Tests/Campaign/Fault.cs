namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>The faults a <see cref="Nemesis"/> can inject.</summary>
[Flags]
public enum Fault
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>SIGKILL an agent, then start it again on the same port and data.</summary>
    Kill = 1,

    /// <summary>SIGSTOP an agent for a while, then SIGCONT it.</summary>
    Pause = 2,

    /// <summary>SIGKILL the store's server (redis-server) and start it again a while later on the same port and data.</summary>
    StoreRestart = 4,

    /// <summary>Cut one agent's link to the store's server (<see cref="TcpProxy"/>) for a while, then heal it.</summary>
    Partition = 8,
}
