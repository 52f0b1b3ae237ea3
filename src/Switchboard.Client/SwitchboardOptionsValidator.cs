using Microsoft.Extensions.Options;
using Switchboard.Client.LoadBalancing;
using Switchboard.Client.Resilience;
using Switchboard.Client.Security;
using Switchboard.Registration;

namespace Switchboard.Client;

/// <summary>Validates <see cref="SwitchboardOptions"/>; every message starts with the configuration key at fault.</summary>
internal sealed class SwitchboardOptionsValidator(LoadBalancingPolicyProvider policies) : IValidateOptions<SwitchboardOptions>
{
    private const string Root = SwitchboardOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SwitchboardOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Registries.Count; i++)
        {
            if (!IsHttpUrl(options.Registries[i]))
                errors.Add($"{Root}:Registries:{i}: '{options.Registries[i]}' is not an absolute http or https URL.");
        }

        if (options.ServiceName is { Length: > 0 } self && ServiceNames.Validate(self) is { } selfError)
            errors.Add($"{Root}:ServiceName: '{self}' {selfError}.");

        if (!policies.TryGet(options.LoadBalancingPolicy, out _))
            errors.Add($"{Root}:LoadBalancingPolicy: unknown policy '{options.LoadBalancingPolicy}'. Known policies: {string.Join(", ", policies.Names)}.");

        foreach (var (service, urls) in options.Static)
        {
            var key = $"{Root}:Static:{service}";
            if (ServiceNames.Validate(service) is { } serviceError)
                errors.Add($"{key}: the service name {serviceError}.");
            var parts = StaticUrls.Split(urls);
            if (parts.Length == 0)
                errors.Add($"{key}: at least one URL is required.");
            foreach (var url in parts)
            {
                if (!IsHttpUrl(url))
                    errors.Add($"{key}: '{url}' is not an absolute http or https URL.");
            }
        }

        ValidateService($"{Root}:Defaults", "(defaults)", options, options.Defaults, errors);
        foreach (var (service, serviceOptions) in options.Services)
        {
            if (ServiceNames.Validate(service) is { } serviceError)
                errors.Add($"{Root}:Services:{service}: the service name {serviceError}.");
            ValidateService($"{Root}:Services:{service}", service, options, serviceOptions, errors);
        }

        ValidateDiscovery(options, errors);
        ValidateDns(options, errors);
        ValidateRegistration(options, errors);
        RegistryTransportValidation.Validate(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void ValidateService(string key, string service, SwitchboardOptions options, ServiceOptions own, List<string> errors)
    {
        var errorsBefore = errors.Count;
        if (own.Tier is { } tier && !ServiceTiers.Names.Contains(tier.ToLowerInvariant()))
            errors.Add($"{key}:Tier: unknown tier '{tier}'. Known tiers: {string.Join(", ", ServiceTiers.Names)}.");
        if (own.LoadBalancingPolicy is { } policy && !policies.TryGet(policy, out _))
            errors.Add($"{key}:LoadBalancingPolicy: unknown policy '{policy}'. Known policies: {string.Join(", ", policies.Names)}.");
        foreach (var (name, value) in new (string, TimeSpan?)[] { ("TotalTimeout", own.TotalTimeout), ("AttemptTimeout", own.AttemptTimeout), ("RetryBaseDelay", own.RetryBaseDelay), ("RetryMaxDelay", own.RetryMaxDelay), ("BreakDuration", own.BreakDuration) })
        {
            if (value is { } v)
                Positive(v, $"{key}:{name}", errors);
        }
        foreach (var (name, value) in new (string, TimeSpan?)[] { ("TotalTimeout", own.TotalTimeout), ("AttemptTimeout", own.AttemptTimeout) })
        {
            if (value > MaxCallTimeout)
                errors.Add($"{key}:{name}: {value} is longer than the longest call timeout, {MaxCallTimeout} (Polly's limit too).");
        }
        foreach (var (name, value) in new (string, TimeSpan?)[] { ("RetryBaseDelay", own.RetryBaseDelay), ("RetryMaxDelay", own.RetryMaxDelay) })
        {
            // Polly's retry refuses longer delays when the pipeline is built, which is at the service's first retry.
            if (value > MaxCallTimeout)
                errors.Add($"{key}:{name}: {value} is longer than the longest retry delay, {MaxCallTimeout} (Polly's limit).");
        }
        if (own.MaxAttempts is < 1)
            errors.Add($"{key}:MaxAttempts: {own.MaxAttempts} must be at least 1 (1 means no retry).");
        if (own.FailureThreshold is < 1)
            errors.Add($"{key}:FailureThreshold: {own.FailureThreshold} must be at least 1.");
        if (own.SuccessThreshold is < 1)
            errors.Add($"{key}:SuccessThreshold: {own.SuccessThreshold} must be at least 1.");
        if (own.MaxConnectionsPerServer is < 1)
            errors.Add($"{key}:MaxConnectionsPerServer: {own.MaxConnectionsPerServer} must be at least 1.");
        if (errors.Count > errorsBefore)
            return; // this service's own values are wrong: the cross-field rules would only repeat it (other services are still checked)
        var effective = options.ForService(service);
        if (effective.AttemptTimeout > effective.TotalTimeout)
            errors.Add($"{key}:AttemptTimeout: {effective.AttemptTimeout} is longer than the total timeout {effective.TotalTimeout} ({key}:TotalTimeout).");
        if (effective.RetryMaxDelay < effective.RetryBaseDelay)
            errors.Add($"{key}:RetryMaxDelay: {effective.RetryMaxDelay} is shorter than the base delay {effective.RetryBaseDelay}.");
    }

    private static void ValidateDiscovery(SwitchboardOptions options, List<string> errors)
    {
        var d = options.Discovery;
        Positive(d.WatchWait, $"{Root}:Discovery:WatchWait", errors);
        Positive(d.RequestTimeout, $"{Root}:Discovery:RequestTimeout", errors);
        Positive(d.RetryBaseDelay, $"{Root}:Discovery:RetryBaseDelay", errors);
        Positive(d.RetryMaxDelay, $"{Root}:Discovery:RetryMaxDelay", errors);
        if (d.RestartGrace < TimeSpan.Zero)
            errors.Add($"{Root}:Discovery:RestartGrace: {d.RestartGrace} must not be negative.");
        if (d.RetryMaxDelay < d.RetryBaseDelay)
            errors.Add($"{Root}:Discovery:RetryMaxDelay: {d.RetryMaxDelay} is shorter than {Root}:Discovery:RetryBaseDelay ({d.RetryBaseDelay}).");
    }

    private static void ValidateDns(SwitchboardOptions options, List<string> errors)
    {
        var dns = options.Dns;
        if (dns.Port is < 1 or > 65535)
            errors.Add($"{Root}:Dns:Port: {dns.Port} is not between 1 and 65535.");
        if (dns.Scheme is not ("http" or "https"))
            errors.Add($"{Root}:Dns:Scheme: '{dns.Scheme}' must be 'http' or 'https'.");
        Positive(dns.RefreshInterval, $"{Root}:Dns:RefreshInterval", errors);
        if (dns.NameServer is { Length: > 0 } ns && !System.Net.IPEndPoint.TryParse(ns, out _))
            errors.Add($"{Root}:Dns:NameServer: '{ns}' is not an IP address with an optional port.");
    }

    private static void ValidateRegistration(SwitchboardOptions options, List<string> errors)
    {
        var r = options.Registration;
        if (!r.Enabled)
            return;
        const string Key = Root + ":Registration";
        if (options.Registries.Count == 0)
            errors.Add($"{Root}:Registries: is empty but {Key}:Enabled is true; name at least one registry URL.");
        var service = r.ServiceName ?? options.ServiceName;
        if (string.IsNullOrEmpty(service))
            errors.Add($"{Key}:ServiceName: is required when {Key}:Enabled is true (or set {Root}:ServiceName).");
        else if (ServiceNames.Validate(service) is { } nameError)
            errors.Add($"{Key}:ServiceName: '{service}' {nameError}.");
        if (r.Port is < 1 or > 65535)
            errors.Add($"{Key}:Port: {r.Port} is not between 1 and 65535.");
        if (r.Protocol is { } p && p is not ("http" or "https"))
            errors.Add($"{Key}:Protocol: '{p}' must be 'http' or 'https'.");
        if (r.Host is { Length: > 0 } host && Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
            errors.Add($"{Key}:Host: '{host}' is not a valid host name or IP address.");
        if (r.Weight is { } w && (w < RegistrationLimits.MinWeight || w > RegistrationLimits.MaxWeight))
            errors.Add($"{Key}:Weight: {w} is not between {RegistrationLimits.MinWeight} and {RegistrationLimits.MaxWeight}.");
        Positive(r.Ttl, $"{Key}:Ttl", errors);
        if (r.HeartbeatFraction is <= 0 or >= 1 || double.IsNaN(r.HeartbeatFraction))
            errors.Add($"{Key}:HeartbeatFraction: {r.HeartbeatFraction} must be greater than 0 and less than 1.");
        if (r.HealthCheckInterval is { } interval)
            Positive(interval, $"{Key}:HealthCheckInterval", errors);
        if (r.HealthCheckPath is { Length: > 0 } path && !path.StartsWith('/'))
            errors.Add($"{Key}:HealthCheckPath: '{path}' must start with '/'.");
    }

    /// <summary>The longest total or attempt timeout a call may have.</summary>
    private static readonly TimeSpan MaxCallTimeout = TimeSpan.FromDays(1);

    private static void Positive(TimeSpan value, string key, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
            errors.Add($"{key}: {value} must be positive.");
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;
}
