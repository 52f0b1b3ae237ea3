namespace Switchboard.Server.Limits;

/// <summary>Thrown where a handler cannot return the refusal itself (the Consul API's blocking reads); answered by <c>ConsulApi</c>.</summary>
internal sealed class LimitRefusedException(LimitRefusal refusal) : Exception(refusal.Reason)
{
    /// <summary>The refusal to answer with.</summary>
    public LimitRefusal Refusal { get; } = refusal;
}
