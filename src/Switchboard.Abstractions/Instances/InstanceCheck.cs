using Switchboard.Registration;

namespace Switchboard.Instances;

/// <summary>One health check of an instance with its current state.</summary>
/// <param name="CheckId">The check's id, unique in the registry.</param>
/// <param name="Spec">How the check runs.</param>
/// <param name="Status">Its current status.</param>
/// <param name="Output">The output of the probe or report that set <paramref name="Status"/>.</param>
public sealed record InstanceCheck(string CheckId, HealthCheckSpec Spec, HealthStatus Status, string Output);
