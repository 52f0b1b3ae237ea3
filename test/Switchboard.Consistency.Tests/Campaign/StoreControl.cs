namespace Switchboard.Consistency.Tests.Campaign;

/// <summary>How the nemesis crashes and restarts the store's own server (redis-server), for <see cref="Fault.StoreRestart"/>.</summary>
/// <param name="Name">What the history calls it.</param>
/// <param name="KillAsync">Crashes it (SIGKILL).</param>
/// <param name="StartAsync">Starts it again on the same port and data.</param>
/// <param name="IsRunning">Whether it runs (healing starts it when not).</param>
public sealed record StoreControl(string Name, Func<Task> KillAsync, Func<Task> StartAsync, Func<bool> IsRunning);
