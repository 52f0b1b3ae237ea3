using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Switchboard.Client.Internal;
using Switchboard.Client.Security;
using Switchboard.Tls;

namespace Switchboard.Client.Configuration;

/// <summary>
/// Keeps the keys under one prefix in configuration: one loop of blocking queries (index, wait) against the registries
/// in turn, replacing the data and raising the reload token when an answer differs, retrying with backoff and jitter
/// while none answers (the last values stay). <see cref="Load"/> waits for the first answer at most
/// <see cref="SwitchboardKeyValuesOptions.StartupTimeout"/>.
/// </summary>
internal sealed partial class SwitchboardKeyValuesProvider : ConfigurationProvider, IDisposable
{
    /// <summary>An answer with no news that came back faster than this is followed by a pause of this long (a server that does not block must not be polled in a loop).</summary>
    internal static readonly TimeSpan MinQueryInterval = TimeSpan.FromSeconds(1);

    private readonly string _prefix;
    private readonly SwitchboardKeyValuesOptions _options;
    private readonly Uri[] _registries;
    private readonly HttpClient _http;
    private readonly ConsulKvReader _reader;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private volatile string? _lastError;
    private int _disposed;

    public SwitchboardKeyValuesProvider(string prefix, SwitchboardKeyValuesOptions options)
    {
        _prefix = prefix;
        _options = options;
        _registries = [.. options.Registries.Select(r => new Uri(r.EndsWith('/') ? r : r + "/", UriKind.Absolute))];
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = loggers.CreateLogger("Switchboard.Client.Configuration.KeyValues");
        var transport = KeyValuesSettings.Transport(options);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (transport.Tls.CaFile is not null || transport.Tls.ClientCertificateFile is not null)
            handler.SslOptions = ClientTls.Options(transport.Tls.CaFile, transport.Tls.ClientCertificateFile, transport.Tls.ClientKeyFile);
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = options.MaxResponseBytes };
        var token = new RegistryToken(Options.Create(transport), loggers.CreateLogger<RegistryToken>());
        _reader = new ConsulKvReader(_http, token, options.TimeProvider);
    }

    /// <summary>Completes at the first answer (tests).</summary>
    internal Task FirstRead => _first.Task;

    /// <summary>Why the last read failed, or null after a success.</summary>
    internal string? LastError => _lastError;

    /// <summary>Starts the loop and waits for the first answer at most the start-up timeout. A later call (<c>IConfigurationRoot.Reload</c>) keeps the current values: the loop keeps them current.</summary>
    public override void Load()
    {
        if (_loop is not null)
            return;
        _loop = Task.Run(() => RunAsync(_stop.Token));
        try
        {
            _first.Task.WaitAsync(_options.StartupTimeout, _options.TimeProvider).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is TimeoutException or KeyValueReadException)
        {
            if (!_options.Optional)
            {
                Dispose();
                throw new InvalidOperationException(
                    $"Switchboard key/values: cannot read the keys under '{_prefix}' from {string.Join(", ", _registries.Select(r => r.ToString()))}"
                    + $" ({_lastError ?? "no answer"} within {_options.StartupTimeout.TotalSeconds:0.#} s); the prefix is not optional, so the application does not start.");
            }
            LogStartedWithout(_logger, _prefix, _options.StartupTimeout.TotalSeconds, _lastError ?? "no answer yet");
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _stop.Cancel();
        if (_loop is null)
            _http.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var index = 0L;
        var failures = 0;
        var current = 0;
        var time = _options.TimeProvider;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var registry = _registries[current];
                var started = time.GetTimestamp();
                KeyValueSnapshot snapshot;
                try
                {
                    snapshot = await _reader.ReadAsync(registry, _prefix, index, _options.WaitTime, cancellationToken).ConfigureAwait(false);
                }
                catch (KeyValueReadException ex)
                {
                    _lastError = ex.Message;
                    if (ex.Permanent && !_options.Optional)
                        _first.TrySetException(ex);
                    if (failures == 0)
                        LogReadFailed(_logger, _prefix, ex.Message);
                    failures++;
                    index = 0; // indexes are compared within one endpoint only; the next answer is read in full
                    current = (current + 1) % _registries.Length;
                    if (failures % _registries.Length == 0)
                    {
                        var delay = Backoff.Delay(failures / _registries.Length - 1, _options.RetryBaseDelay, _options.RetryMaxDelay, Random.Shared.NextDouble());
                        await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                    }
                    continue;
                }
                if (failures > 0)
                    LogRecovered(_logger, _prefix, registry, failures);
                failures = 0;
                _lastError = null;
                if (index == 0 || snapshot.Index != index)
                    Apply(snapshot); // an answer at the index it waited on (a wait that ran out) holds nothing new
                _first.TrySetResult();

                var previous = index;
                // Consul's rule: an index that goes backwards (a restarted registry) starts over with a full read.
                index = snapshot.Index < previous ? 0 : Math.Max(snapshot.Index, 1);
                if (previous > 0 && snapshot.Index == previous && time.GetElapsedTime(started) < MinQueryInterval)
                    await Task.Delay(MinQueryInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            _http.Dispose();
        }
    }

    private void Apply(KeyValueSnapshot snapshot)
    {
        var skipped = new List<string>();
        var data = KeyValueMapping.ToData(snapshot.Items, _prefix, _options.ExpandJson, skipped);
        foreach (var key in skipped)
            LogNotText(_logger, key);
        if (KeyValueMapping.Same(Data, data))
            return;
        Data = data;
        LogLoaded(_logger, _prefix, data.Count, snapshot.Index);
        OnReload();
    }

    [LoggerMessage(EventId = 1701, Level = LogLevel.Warning, Message = "Switchboard key/values under '{Prefix}' not read within {Seconds} s ({Problem}); the application starts without them and they appear once a registry answers")]
    private static partial void LogStartedWithout(ILogger logger, string prefix, double seconds, string problem);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Switchboard key/values under '{Prefix}' cannot be read ({Problem}); the last values stay, retrying with backoff")]
    private static partial void LogReadFailed(ILogger logger, string prefix, string problem);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Information, Message = "Switchboard key/values under '{Prefix}' read again from {Registry} after {Failures} failed reads")]
    private static partial void LogRecovered(ILogger logger, string prefix, Uri registry, int failures);

    [LoggerMessage(EventId = 1704, Level = LogLevel.Debug, Message = "Switchboard key/values under '{Prefix}': {Count} keys at index {Index}")]
    private static partial void LogLoaded(ILogger logger, string prefix, int count, long index);

    [LoggerMessage(EventId = 1705, Level = LogLevel.Warning, Message = "Switchboard key/value '{Key}' is not UTF-8 text; left out of configuration")]
    private static partial void LogNotText(ILogger logger, string key);
}
