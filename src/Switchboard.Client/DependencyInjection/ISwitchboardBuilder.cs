namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Returned by <c>AddSwitchboard</c> to chain further Switchboard registrations.</summary>
public interface ISwitchboardBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}
