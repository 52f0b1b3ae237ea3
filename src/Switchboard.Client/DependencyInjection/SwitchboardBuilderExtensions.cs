using Switchboard.Client.Calls;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds middleware and error handlers to the Switchboard service client.</summary>
public static class SwitchboardBuilderExtensions
{
    /// <summary>Runs <typeparamref name="THandler"/> around every attempt of every service call (seed 003 <c>middleware</c>); handlers added first run outermost.</summary>
    /// <typeparam name="THandler">The handler; resolved from DI (register its dependencies), one instance per service.</typeparam>
    /// <param name="builder">The Switchboard builder.</param>
    /// <returns>The builder.</returns>
    public static ISwitchboardBuilder AddServiceMiddleware<THandler>(this ISwitchboardBuilder builder)
        where THandler : DelegatingHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTransient<THandler>();
        builder.Services.Configure<ServiceClientOptions>(o => o.Middleware.Add(sp => sp.GetRequiredService<THandler>()));
        return builder;
    }

    /// <summary>Calls <paramref name="handler"/> for every failed service call (seed 003 <c>error_handler</c>).</summary>
    /// <param name="builder">The Switchboard builder.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The builder.</returns>
    public static ISwitchboardBuilder OnServiceError(this ISwitchboardBuilder builder, Func<ServiceCallError, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.Configure<ServiceClientOptions>(o => o.ErrorHandlers.Add(handler));
        return builder;
    }
}
