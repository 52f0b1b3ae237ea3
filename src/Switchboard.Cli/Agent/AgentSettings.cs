namespace Switchboard.Cli.Agent;

/// <summary>What <c>switchboard agent</c> was asked to run.</summary>
/// <param name="Bind">The address to listen on.</param>
/// <param name="Port">The port to listen on; 0 picks a free one.</param>
/// <param name="DataDirectory">Where the embedded store keeps its files; ignored with <paramref name="Dev"/>.</param>
/// <param name="Dev">Keep everything in memory; nothing survives a restart.</param>
/// <param name="DefaultTtl">The lease for registrations that name none, when set.</param>
internal sealed record AgentSettings(string Bind, int Port, string DataDirectory, bool Dev, TimeSpan? DefaultTtl);
