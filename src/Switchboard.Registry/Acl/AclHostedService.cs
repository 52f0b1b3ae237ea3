using Microsoft.Extensions.Hosting;

namespace Switchboard.Registry.Acl;

/// <summary>Loads the ACL state at start (when ACLs are on), so a failing store stops the agent with its message.</summary>
internal sealed class AclHostedService(AclService acl) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => acl.LoadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
