using Switchboard.Api;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests;

/// <summary>A store whose answers the test decides: accept at once, refuse at once, or hold every write until released. It keeps the writes it accepted, in order.</summary>
internal sealed class ControlledStore : IRegistryStore
{
    private readonly Lock _gate = new();
    private readonly List<(StoreWrite Write, TaskCompletionSource Done)> _held = [];

    public enum Answer { Accept, Refuse, Hold }

    public Answer Mode { get; set; } = Answer.Accept;

    /// <summary>Every write the store accepted, in the order it accepted them.</summary>
    public List<StoreWrite> Accepted { get; } = [];

    public int HeldCount
    {
        get
        {
            lock (_gate)
                return _held.Count;
        }
    }

    public string Kind => "controlled";

    public StoreHealth Health => new(Kind, "ok", null);

    /// <summary>What <see cref="LoadAsync"/> hands the catalog.</summary>
    public StoreSnapshot Snapshot { get; init; } = StoreSnapshot.Empty;

    public Task<StoreSnapshot> LoadAsync(CancellationToken cancellationToken) => Task.FromResult(Snapshot);

    public Task PersistAsync(StoreWrite write)
    {
        lock (_gate)
        {
            switch (Mode)
            {
                case Answer.Accept:
                    Accepted.Add(write);
                    return Task.CompletedTask;
                case Answer.Refuse:
                    return Task.FromException(new RegistryStoreUnavailableException("test store: no space left on device; the change was not saved.", retryAfter: TimeSpan.FromSeconds(1)));
                default:
                    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _held.Add((write, done));
                    return done.Task;
            }
        }
    }

    /// <summary>Answers every held write, in order: accepted, or failed with <paramref name="failure"/>.</summary>
    public void Release(Exception? failure = null)
    {
        List<(StoreWrite Write, TaskCompletionSource Done)> held;
        lock (_gate)
        {
            held = [.. _held];
            _held.Clear();
            if (failure is null)
                Accepted.AddRange(held.Select(h => h.Write));
        }
        foreach (var (_, done) in held)
        {
            if (failure is null)
                done.SetResult();
            else
                done.SetException(failure);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
