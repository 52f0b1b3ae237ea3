using System.Collections.Concurrent;
using System.Threading.Channels;
using Switchboard.Api;
using Switchboard.Client.RegistryApi;
using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Client.Tests.TestSupport;

/// <summary>A registry client whose instance queries are answered by the test, one enqueued answer per call.</summary>
internal sealed class FakeRegistryClient : ISwitchboardRegistryClient
{
    private static readonly Uri Registry = new("http://127.0.0.1:1/");
    private readonly Channel<object> _answers = Channel.CreateUnbounded<object>();
    private readonly Channel<long> _calls = Channel.CreateUnbounded<long>();

    public Uri? CurrentRegistry => Registry;

    public ConcurrentQueue<long> IndexesAsked { get; } = new();

    public void Answer(long index, params ServiceInstance[] instances) => _answers.Writer.TryWrite(new InstancesResult(instances, index, Registry));

    public void Fail(string message = "connection refused") => _answers.Writer.TryWrite(new RegistryUnavailableException(message));

    /// <summary>Waits (real time, at most 10 s) for the next instance query and returns the index it asked with (-1: immediate).</summary>
    public async Task<long> NextCallAsync() => await _calls.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Records -1 for an immediate (non-blocking) query.</summary>
    public async Task<InstancesResult> GetInstancesAsync(string serviceName, long? index = null, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        IndexesAsked.Enqueue(index ?? -1);
        _calls.Writer.TryWrite(index ?? -1);
        var answer = await _answers.Reader.ReadAsync(cancellationToken);
        return answer is Exception ex ? throw ex : (InstancesResult)answer;
    }

    public Task<RegisterResponse> RegisterAsync(ServiceRegistration registration, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("not used by discovery tests");

    public Task<HeartbeatResponse?> HeartbeatAsync(string instanceId, HeartbeatRequest? report = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("not used by discovery tests");

    public Task<bool> DeregisterAsync(string instanceId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("not used by discovery tests");
}
