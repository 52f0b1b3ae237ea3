using Microsoft.Extensions.Logging;
using Switchboard.Client.Security;

namespace Switchboard.Client.Configuration;

/// <summary>
/// How <c>AddSwitchboardKeyValues</c> reads a key prefix into configuration. The registry addresses, token and TLS
/// start as the <c>Switchboard</c> section of the configuration being built says (the same settings the SDK uses);
/// the callback may change them.
/// </summary>
public sealed class SwitchboardKeyValuesOptions
{
    /// <summary>The default of <see cref="StartupTimeout"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultStartupTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The default of <see cref="WaitTime"/>: 5 minutes.</summary>
    public static readonly TimeSpan DefaultWaitTime = TimeSpan.FromMinutes(5);

    /// <summary>The longest blocking query Consul accepts (<c>wait</c> is capped at 10 minutes).</summary>
    public static readonly TimeSpan MaxWaitTime = TimeSpan.FromMinutes(10);

    /// <summary>The default of <see cref="MaxResponseBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxResponseBytes = 64L * 1024 * 1024;

    /// <summary>The registry base URLs, in order of preference (from <c>Switchboard:Registries</c>).</summary>
    /// <value>The default value is the configuration's <c>Switchboard:Registries</c>.</value>
    public IList<string> Registries { get; } = [];

    /// <summary>The ACL token sent as <c>X-Consul-Token</c> (from <c>Switchboard:Token</c>); not together with <see cref="TokenFile"/>.</summary>
    /// <value>The default value is the configuration's <c>Switchboard:Token</c>.</value>
    public string? Token { get; set; }

    /// <summary>A file holding the token, read again when it changes (from <c>Switchboard:TokenFile</c>).</summary>
    /// <value>The default value is the configuration's <c>Switchboard:TokenFile</c>.</value>
    public string? TokenFile { get; set; }

    /// <summary>TLS for the registry connection (from <c>Switchboard:Tls</c>).</summary>
    public RegistryTlsOptions Tls { get; } = new();

    /// <summary>
    /// When false, the application fails to start (naming the registry and the prefix) if the keys cannot be read within
    /// <see cref="StartupTimeout"/> or the registry refuses the token. When true, it starts without them and they appear
    /// as soon as a registry answers.
    /// </summary>
    /// <value>The default value is true.</value>
    public bool Optional { get; set; } = true;

    /// <summary>The longest the configuration build waits for the first read.</summary>
    /// <value>The default value is <see cref="DefaultStartupTimeout"/>.</value>
    public TimeSpan StartupTimeout { get; set; } = DefaultStartupTimeout;

    /// <summary>How long one blocking query waits for a change (Consul's <c>wait</c>; at most <see cref="MaxWaitTime"/>).</summary>
    /// <value>The default value is <see cref="DefaultWaitTime"/>.</value>
    public TimeSpan WaitTime { get; set; } = DefaultWaitTime;

    /// <summary>The first delay between retries while no registry answers; doubled per failure up to <see cref="RetryMaxDelay"/>, with jitter.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between retries.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When true, a value holding a JSON object or array is expanded into configuration keys below its own
    /// (<c>{"Retries": 3}</c> under <c>Http</c> becomes <c>Http:Retries</c>), as <c>appsettings.json</c> would be.
    /// When false, every value is one string, JSON or not.
    /// </summary>
    /// <value>The default value is false.</value>
    public bool ExpandJson { get; set; }

    /// <summary>The largest answer read from the registry; a larger one is refused (the last values stay).</summary>
    /// <value>The default value is <see cref="DefaultMaxResponseBytes"/>.</value>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>The clock for the start-up timeout and the retry delays.</summary>
    /// <value>The default value is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the provider logs (failed reads, recoveries). A configuration provider is built before dependency injection, so this is given here.</summary>
    /// <value>The default value is null: nothing is logged.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
