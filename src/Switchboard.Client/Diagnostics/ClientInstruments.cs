using System.Diagnostics;
using System.Diagnostics.Metrics;
using Switchboard.Client.SelfRegistration;

namespace Switchboard.Client.Diagnostics;

/// <summary>The client's metrics, on a meter named after the assembly (<c>Switchboard.Client</c>).</summary>
internal sealed class ClientInstruments
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Switchboard.Client";

    private readonly Counter<long> _discoveryUpdates;
    private readonly Counter<long> _registryFailovers;
    private readonly Counter<long> _registryErrors;
    private readonly Counter<long> _panics;
    private readonly Counter<long> _breakerTransitions;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _callDuration;
    private readonly Counter<long> _registrationEvents;
    private readonly Counter<long> _picks;
    private readonly Counter<long> _cacheLookups;
    private readonly Meter _meter;

    public ClientInstruments(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        _discoveryUpdates = meter.CreateCounter<long>("switchboard.client.discovery.updates", "{update}", "Endpoint cache updates per service.");
        _registryErrors = meter.CreateCounter<long>("switchboard.client.registry.errors", "{error}", "Registry requests that failed on every registry.");
        _registryFailovers = meter.CreateCounter<long>("switchboard.client.registry.failovers", "{failover}", "Switches from one registry to another.");
        _panics = meter.CreateCounter<long>("switchboard.client.load_balancing.panics", "{pick}", "Picks made in panic mode (every instance ejected).");
        _breakerTransitions = meter.CreateCounter<long>("switchboard.client.circuit_breaker.transitions", "{transition}", "Circuit breaker state changes per instance.");
        _attempts = meter.CreateCounter<long>("switchboard.client.call.attempts", "{attempt}", "Attempts of service calls, by outcome.");
        _callDuration = meter.CreateHistogram<double>("switchboard.client.call.duration", "s", "Duration of service calls including retries.");
        _registrationEvents = meter.CreateCounter<long>("switchboard.client.registration.events", "{event}", "Self-registration registrations, re-registrations and deregistrations.");
        _picks = meter.CreateCounter<long>("switchboard.client.load_balancing.picks", "{pick}", "Instances picked for attempts, by load-balancing policy.");
        _cacheLookups = meter.CreateCounter<long>("switchboard.client.cache.lookups", "{lookup}", "Response-cache lookups: hit (fresh), miss, or stale (served after a failed call).");
    }

    public void DiscoveryUpdate(string service, string source) =>
        _discoveryUpdates.Add(1, new TagList { { "service.name", service }, { "switchboard.source", source } });

    public void RegistryFailover(Uri registry) => _registryFailovers.Add(1, new KeyValuePair<string, object?>("server.address", registry.Authority));

    public void RegistryError(string operation) => _registryErrors.Add(1, new KeyValuePair<string, object?>("switchboard.operation", operation));

    public void Panic(string service) => _panics.Add(1, new KeyValuePair<string, object?>("service.name", service));

    public void BreakerTransition(string service, string instance, string state) =>
        _breakerTransitions.Add(1, new TagList { { "service.name", service }, { "switchboard.instance", instance }, { "switchboard.state", state } });

    public void Attempt(string service, string outcome)
    {
        if (_attempts.Enabled)
            _attempts.Add(1, new TagList { { "service.name", service }, { "switchboard.outcome", outcome } });
    }

    public void CallDuration(string service, TimeSpan duration, string? errorType)
    {
        if (!_callDuration.Enabled)
            return;
        var tags = new TagList { { "service.name", service } };
        if (errorType is not null)
            tags.Add("error.type", errorType);
        _callDuration.Record(duration.TotalSeconds, tags);
    }

    public void Registration(string service, string kind) =>
        _registrationEvents.Add(1, new TagList { { "service.name", service }, { "switchboard.event", kind } });

    public void Picks(string service, string policy, int picks)
    {
        if (_picks.Enabled && picks > 0)
            _picks.Add(picks, new TagList { { "service.name", service }, { "switchboard.policy", policy } });
    }

    /// <summary>
    /// The self-registration state as an observable gauge, <c>switchboard.client.registration.state</c>: one series per
    /// state (<c>switchboard.registration.state</c>), 1 for the current one and 0 for the others, as Prometheus users
    /// expect of an enum.
    /// </summary>
    public void ObserveRegistrationState(Func<SelfRegistrationState> current)
    {
        var states = Enum.GetValues<SelfRegistrationState>();
        _meter.CreateObservableGauge("switchboard.client.registration.state", () =>
        {
            var now = current();
            return states.Select(s => new Measurement<int>(s == now ? 1 : 0, new KeyValuePair<string, object?>("switchboard.registration.state", ToWireName(s))));
        }, "{state}", "The self-registration state: 1 for the current state, 0 for the others.");
    }

    private static string ToWireName(SelfRegistrationState state) => state switch
    {
        SelfRegistrationState.RegistryUnreachable => "registry_unreachable",
        _ => state.ToString().ToLowerInvariant(),
    };

    public void CacheLookup(string service, string result)
    {
        if (_cacheLookups.Enabled)
            _cacheLookups.Add(1, new TagList { { "service.name", service }, { "switchboard.cache.result", result } });
    }
}
