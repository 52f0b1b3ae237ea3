using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.LoadHarness.Sections;

/// <summary>
/// Stands in for an application's OpenTelemetry set-up on the SDK while it lives: every span of <c>Switchboard.Client</c>
/// sampled and recorded, every measurement of the <c>Switchboard.Client</c> and <c>Polly</c> meters taken (summed, as an
/// exporter's aggregation would).
/// </summary>
internal sealed class ClientListeners : IDisposable
{
    private readonly ActivityListener _spans;
    private readonly MeterListener _metrics = new();
    private long _spanCount;
    private double _sum;

    public ClientListeners()
    {
        _spans = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == "Switchboard.Client",
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _spanCount),
        };
        ActivitySource.AddActivityListener(_spans);
        _metrics.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name is "Switchboard.Client" or "Polly")
                listener.EnableMeasurementEvents(instrument);
        };
        _metrics.SetMeasurementEventCallback<long>((_, value, _, _) => Add(value));
        _metrics.SetMeasurementEventCallback<int>((_, value, _, _) => Add(value));
        _metrics.SetMeasurementEventCallback<double>((_, value, _, _) => Add(value));
        _metrics.Start();
    }

    /// <summary>The sum of every measurement recorded while listening (what an exporter would aggregate).</summary>
    public double MeasurementSum
    {
        get
        {
            lock (_metrics)
                return _sum;
        }
    }

    /// <summary>How many spans ended while listening.</summary>
    public long Spans => Interlocked.Read(ref _spanCount);

    private void Add(double value)
    {
        lock (_metrics)
            _sum += value;
    }

    public void Dispose()
    {
        _spans.Dispose();
        _metrics.Dispose();
    }
}
