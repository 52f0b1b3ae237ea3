using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Client.Diagnostics;
using Switchboard.Client.Internal;
using Switchboard.Client.RegistryApi;
using Switchboard.Registration;

namespace Switchboard.Client.SelfRegistration;

/// <summary>
/// Registers the application when it has started, heartbeats at <see cref="RegistrationOptions.HeartbeatInterval"/>,
/// registers again when the registry no longer knows the instance, and deregisters on graceful shutdown.
/// It never blocks or fails the application: while no registry answers it retries with backoff, logging once per state change.
/// </summary>
internal sealed partial class SelfRegistrationService : BackgroundService, ISelfRegistration
{
    /// <summary>The longest <c>Retry-After</c> a busy registry can make registration wait (a bound against a wrong header).</summary>
    private static readonly TimeSpan MaxHonouredRetryAfter = TimeSpan.FromMinutes(5);

    private readonly SwitchboardOptions _options;
    private readonly ISwitchboardRegistryClient _registry;
    private readonly TimeProvider _time;
    private readonly IServiceProvider _services;
    private readonly ClientInstruments _instruments;
    private readonly ILogger<SelfRegistrationService> _logger;
    private readonly Func<string> _machineAddress;
    private volatile string? _instanceId;
    private int _registrations;

    public SelfRegistrationService(
        IOptions<SwitchboardOptions> options,
        ISwitchboardRegistryClient registry,
        TimeProvider time,
        IServiceProvider services,
        ClientInstruments instruments,
        ILogger<SelfRegistrationService> logger)
    {
        _options = options.Value;
        _registry = registry;
        _time = time;
        _services = services;
        _instruments = instruments;
        _logger = logger;
        _machineAddress = ServerAddressSelector.MachineAddress;
        State = _options.Registration.Enabled ? SelfRegistrationState.Starting : SelfRegistrationState.Disabled;
        instruments.ObserveRegistrationState(() => State);
    }

    public event EventHandler<SelfRegistrationState>? StateChanged;

    public SelfRegistrationState State { get; private set; }

    public string? InstanceId => _instanceId;

    public ServiceRegistration? Registration { get; private set; }

    public string? LastError { get; private set; }

    public int Registrations => Volatile.Read(ref _registrations);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Registration.Enabled)
            return;
        await WaitForApplicationStartedAsync(stoppingToken);

        var registration = RegistrationFactory.Create(_options, BoundAddress());
        Registration = registration;
        if (RegistrationFactory.Validate(registration) is { } invalid)
        {
            Transition(SelfRegistrationState.Rejected, invalid);
            return;
        }

        var failures = 0;
        var interval = _options.Registration.HeartbeatInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                if (_instanceId is null)
                {
                    var response = await _registry.RegisterAsync(registration, stoppingToken);
                    _instanceId = response.InstanceId;
                    var count = Interlocked.Increment(ref _registrations);
                    _instruments.Registration(response.ServiceName, count == 1 ? "registered" : "reregistered");
                    LogRegistered(_logger, response.ServiceName, response.InstanceId, registration.Host!, registration.Port ?? 0, _registry.CurrentRegistry);
                }
                else if (await _registry.HeartbeatAsync(_instanceId, null, stoppingToken) is null)
                {
                    LogUnknownInstance(_logger, _instanceId);
                    _instanceId = null;
                    continue;
                }
                failures = 0;
                Transition(SelfRegistrationState.Registered, null);
                delay = interval;
            }
            catch (RegistryUnavailableException ex)
            {
                Transition(SelfRegistrationState.RegistryUnreachable, ex.Message);
                delay = Backoff.Delay(failures++, _options.Discovery.RetryBaseDelay, Min(_options.Discovery.RetryMaxDelay, interval), Random.Shared.NextDouble());
                if (ex.RetryAfter is { } asked && asked > delay)
                    delay = Min(asked, MaxHonouredRetryAfter); // the registry is there but busy (its write limit): do as it asks
            }
            catch (RegistryRequestException ex)
            {
                Transition(SelfRegistrationState.Rejected, ex.Message);
                delay = _options.Discovery.RetryMaxDelay;
            }
            await Task.Delay(delay, _time, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!_options.Registration.Enabled || !_options.Registration.DeregisterOnShutdown || _instanceId is not { } id)
            return;
        try
        {
            await _registry.DeregisterAsync(id, cancellationToken);
            _instanceId = null;
            _instruments.Registration(Registration?.ServiceName ?? "", "deregistered");
            Transition(SelfRegistrationState.Deregistered, null);
            LogDeregistered(_logger, id);
        }
        catch (Exception ex) when (ex is RegistryUnavailableException or RegistryRequestException or OperationCanceledException)
        {
            LogDeregisterFailed(_logger, id, ex.Message);
        }
    }

    private async Task WaitForApplicationStartedAsync(CancellationToken stoppingToken)
    {
        var lifetime = _services.GetService<IHostApplicationLifetime>();
        if (lifetime is null || lifetime.ApplicationStarted.IsCancellationRequested)
            return;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var a = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var b = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    private (string Protocol, string Host, int Port)? BoundAddress()
    {
        var addresses = _services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses is null ? null : ServerAddressSelector.Select(addresses, _machineAddress);
    }

    private void Transition(SelfRegistrationState state, string? error)
    {
        LastError = error;
        if (State == state)
            return;
        var previous = State;
        State = state;
        switch (state)
        {
            case SelfRegistrationState.RegistryUnreachable:
                LogUnreachable(_logger, error);
                break;
            case SelfRegistrationState.Rejected:
                LogRejected(_logger, error);
                break;
            case SelfRegistrationState.Registered when previous is SelfRegistrationState.RegistryUnreachable or SelfRegistrationState.Rejected:
                LogRecovered(_logger, _instanceId);
                break;
        }
        StateChanged?.Invoke(this, state);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
