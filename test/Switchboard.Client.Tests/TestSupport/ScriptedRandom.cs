namespace Switchboard.Client.Tests.TestSupport;

/// <summary>A Random that returns scripted values (taken modulo the bound), for deterministic policy tests.</summary>
internal sealed class ScriptedRandom(params long[] values) : Random
{
    private int _next;

    public override int Next(int maxValue) => (int)(Take() % maxValue);

    public override long NextInt64(long maxValue) => Take() % maxValue;

    private long Take() => values[_next++ % values.Length];
}
