namespace Switchboard.Registry.Catalog;

public sealed partial class ServiceCatalog
{
    /// <summary>Records a check's latest output; a different one ticks its service's <see cref="OutputClock"/>.</summary>
    private void SetLatestOutput(CheckRuntime check, string output)
    {
        if (string.Equals(check.LatestOutput, output, StringComparison.Ordinal))
            return;
        check.LatestOutput = output;
        OutputsChanged(check.Owner);
    }

    /// <summary>Records the latest output of an instance without checks; a different one ticks its service's <see cref="OutputClock"/>.</summary>
    private void SetLatestOutput(InstanceState state, string output)
    {
        if (string.Equals(state.LatestOutput, output, StringComparison.Ordinal))
            return;
        state.LatestOutput = output;
        OutputsChanged(state);
    }

    /// <summary>
    /// Says that the outputs readers find for the instance's checks (<see cref="FindCheck"/>, <see cref="GetInstance"/>)
    /// may have changed without a new view: answers cached with an older <see cref="ServiceView.OutputVersion"/> are rebuilt.
    /// Called after the change, for the service the instance is in and the one readers still see it in.
    /// </summary>
    private void OutputsChanged(InstanceState state)
    {
        var service = state.Instance.ServiceName;
        if (_services.TryGetValue(service, out var entry))
            entry.Outputs.Tick();
        if (state.Committed is { } committed && committed.ServiceName != service && _services.TryGetValue(committed.ServiceName, out var shown))
            shown.Outputs.Tick();
    }
}
