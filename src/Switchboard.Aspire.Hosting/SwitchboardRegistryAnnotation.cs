using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Marks a resource as referencing <see cref="Registry"/>, so that each registry gets its own <c>Switchboard:Registries</c> index once.</summary>
internal sealed record SwitchboardRegistryAnnotation(SwitchboardResource Registry) : IResourceAnnotation;
