using Switchboard.Consistency.Tests.Checking;
using Switchboard.Consistency.Tests.Histories;

namespace Switchboard.Consistency.Tests;

/// <summary>The checker on hand-written histories: each anomaly kind is reported, and what the model allows is not.</summary>
public sealed class CheckerTests
{
    private const string Service = "alpha";
    private const string Id = "alpha-0";

    // A register's version is its position in the history (History renumbers by position).
    private static Operation Register(long from, long to, Outcome outcome = Outcome.Ok, int client = 1, string id = Id, long? index = null)
        => new() { Client = client, Kind = OperationKind.Register, Node = "n1", Service = Service, InstanceId = id, Invoked = from, Completed = to, Outcome = outcome, Index = index };

    private static Operation Deregister(long from, long to, Outcome outcome = Outcome.Ok, int client = 1)
        => new() { Client = client, Kind = OperationKind.Deregister, Node = "n1", Service = Service, InstanceId = Id, Invoked = from, Completed = to, Outcome = outcome };

    private static Operation Read(long from, long to, long index, Dictionary<string, int> observed, bool final = false, int client = 2)
        => new() { Client = client, Kind = OperationKind.Read, Node = "n1", Service = Service, Invoked = from, Completed = to, Outcome = Outcome.Ok, Index = index, Observed = observed, Final = final };

    private static Operation Event(long at, long index, int client = 100, int? version = null)
        => new()
        {
            Client = client,
            Kind = OperationKind.WatchEvent,
            Node = "n1",
            Service = Service,
            InstanceId = Id,
            Invoked = at,
            Completed = at,
            Outcome = Outcome.Ok,
            Index = index,
            Detail = "registered",
            Observed = version is { } v ? new Dictionary<string, int> { [Id] = v } : null,
        };

    private static Operation Resync(long at, int client = 100)
        => new() { Client = client, Kind = OperationKind.WatchResync, Node = "n1", Service = Service, Invoked = at, Completed = at, Outcome = Outcome.Ok };

    private static IReadOnlyList<Anomaly> Anomalies(params Operation[] operations) => Checker.Check(new History(operations)).Anomalies;

    [Fact]
    public void ValidHistory_NoAnomaly()
    {
        var anomalies = Anomalies(
            Register(1, 2),                         // 0: version 0
            Read(3, 4, 5, new() { [Id] = 0 }),
            Deregister(5, 6),
            Read(7, 8, 6, []),
            Register(9, 10),                        // 4: version 4
            Event(10, 7),
            Read(11, 12, 7, new() { [Id] = 4 }, final: true));
        Assert.Empty(anomalies);
    }

    [Fact]
    public void AcknowledgedRegistrationMissingAfterRecovery_LostWrite()
    {
        var anomaly = Assert.Single(Anomalies(Register(1, 2), Read(10, 11, 1, [], final: true)));
        Assert.Equal(AnomalyKind.LostWrite, anomaly.Kind);
        Assert.Equal([1, 0], anomaly.Operations);
    }

    [Fact]
    public void OlderVersionAfterRecovery_LostWrite()
    {
        var anomaly = Assert.Single(Anomalies(Register(1, 2), Register(3, 4), Read(10, 11, 2, new() { [Id] = 0 }, final: true)));
        Assert.Equal(AnomalyKind.LostWrite, anomaly.Kind);
    }

    [Fact]
    public void AcknowledgedDeregistrationUndoneAfterRecovery_LostWriteAndResurrection()
    {
        var kinds = Anomalies(Register(1, 2), Deregister(3, 4), Read(10, 11, 2, new() { [Id] = 0 }, final: true)).Select(a => a.Kind);
        Assert.Equal([AnomalyKind.Resurrected, AnomalyKind.LostWrite], kinds);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void WriteOfUnknownOutcome_MayOrMayNotHaveTakenEffect(bool present)
    {
        // The deregistration timed out; it may also take effect after the register acknowledged later.
        Assert.Empty(Anomalies(Register(1, 2), Deregister(3, 4, Outcome.Unknown), Read(10, 11, 2, present ? new() { [Id] = 0 } : [], final: true)));
        Assert.Empty(Anomalies(Register(1, 2, Outcome.Unknown), Read(10, 11, 2, present ? new() { [Id] = 0 } : [], final: true)));
    }

    [Fact]
    public void FailedDeregistration_HasNoEffect()
    {
        var anomaly = Assert.Single(Anomalies(Register(1, 2), Deregister(3, 4, Outcome.Failed), Read(10, 11, 2, [], final: true)));
        Assert.Equal(AnomalyKind.LostWrite, anomaly.Kind);
    }

    [Fact]
    public void VersionNeverWritten_PhantomRead()
    {
        var anomaly = Assert.Single(Anomalies(Register(1, 2), Read(3, 4, 1, new() { [Id] = 0, ["alpha-7"] = 0 })));
        Assert.Equal(AnomalyKind.PhantomRead, anomaly.Kind);
        Assert.Contains("alpha-7", anomaly.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void VersionOfFailedRegister_PhantomRead()
    {
        var anomaly = Assert.Single(Anomalies(Register(1, 2, Outcome.Failed), Read(3, 4, 1, new() { [Id] = 0 })));
        Assert.Equal(AnomalyKind.PhantomRead, anomaly.Kind);
        Assert.Equal([1, 0], anomaly.Operations);
    }

    [Fact]
    public void VersionReadBeforeItsRegisterWasInvoked_PhantomRead()
    {
        var anomaly = Assert.Single(Anomalies(Read(1, 2, 1, new() { [Id] = 1 }), Register(3, 4)));
        Assert.Equal(AnomalyKind.PhantomRead, anomaly.Kind);
    }

    [Fact]
    public void ReadConcurrentWithRegister_MaySeeIt()
        => Assert.Empty(Anomalies(Register(1, 5, Outcome.Unknown), Read(2, 3, 1, new() { [Id] = 0 })));

    [Fact]
    public void IndexBackwardsForOneClient_IndexWentBack()
    {
        var anomaly = Assert.Single(Anomalies(Read(1, 2, 5, []), Read(3, 4, 3, [])));
        Assert.Equal(AnomalyKind.IndexWentBack, anomaly.Kind);
        Assert.Equal([1, 0], anomaly.Operations);
    }

    [Fact]
    public void LowerIndexSeenByAnotherClient_NoAnomaly()
        => Assert.Empty(Anomalies(Read(1, 2, 5, [], client: 2), Read(3, 4, 3, [], client: 3)));

    [Fact]
    public void DeregisteredInstanceSeenAgain_Resurrected()
    {
        var anomaly = Assert.Single(Anomalies(Register(1, 2), Deregister(3, 4), Read(5, 6, 3, new() { [Id] = 0 })));
        Assert.Equal(AnomalyKind.Resurrected, anomaly.Kind);
        Assert.Equal([2, 1, 0], anomaly.Operations);
    }

    [Fact]
    public void ReadOnAnotherNodeAfterDeregister_NotAResurrection()
        => Assert.Empty(Anomalies(Register(1, 2), Deregister(3, 4), Read(5, 6, 3, new() { [Id] = 0 }) with { Node = "n2" }));

    [Fact]
    public void ReadConcurrentWithDeregister_MayStillSeeIt()
        => Assert.Empty(Anomalies(Register(1, 2), Deregister(3, 6), Read(4, 5, 3, new() { [Id] = 0 })));

    [Fact]
    public void WatchEventsOutOfOrder_WatchOutOfOrder()
    {
        var anomaly = Assert.Single(Anomalies(Event(1, 5), Event(2, 7), Event(3, 6)));
        Assert.Equal(AnomalyKind.WatchOutOfOrder, anomaly.Kind);
        Assert.Equal([2, 1], anomaly.Operations);
    }

    [Fact]
    public void WatchEventRepeated_WatchOutOfOrder()
        => Assert.Equal(AnomalyKind.WatchOutOfOrder, Assert.Single(Anomalies(Event(1, 5), Event(2, 5))).Kind);

    [Fact]
    public void WatchEventsAfterResynchronisation_StartAfresh()
        => Assert.Empty(Anomalies(Event(1, 5), Resync(2), Event(3, 4), Event(4, 2, client: 101)));

    [Fact]
    public void WatchPassesAnAcknowledgedRegisterWithoutItsEvent_WatchMissed()
    {
        // 0: an event at 5; 1: the register answered with index 6; 2: the next event at 7.
        var anomaly = Assert.Single(Anomalies(Event(1, 5), Register(2, 3, index: 6), Event(4, 7, version: 1)));
        Assert.Equal(AnomalyKind.WatchMissed, anomaly.Kind);
        Assert.Equal([1, 0, 2], anomaly.Operations);
    }

    [Fact]
    public void WatchEventAtTheRegistersIndexShowsAnotherVersion_WatchMissed()
        => Assert.Equal(AnomalyKind.WatchMissed, Assert.Single(Anomalies(Register(1, 2), Event(3, 5, version: 0), Register(4, 5, index: 6), Event(6, 6, version: 0), Event(7, 8, version: 2))).Kind);

    [Fact]
    public void WatchReceivesEveryAcknowledgedRegister_NoAnomaly()
        => Assert.Empty(Anomalies(Event(1, 5), Register(2, 3, index: 6), Event(4, 6, version: 1), Event(5, 8, version: 1)));

    [Fact]
    public void WatchToldToResynchroniseAcrossTheRegister_NoAnomaly()
        => Assert.Empty(Anomalies(Event(1, 5), Register(2, 3, index: 6), Resync(4), Event(5, 7, version: 1)));

    [Fact]
    public void SavedHistory_LoadsToTheSameVerdict()
    {
        var history = new History([Register(1, 2), Deregister(3, 4), Read(5, 6, 3, new() { [Id] = 0 }), Event(7, 2), Event(8, 1)]);
        var path = Path.Combine(Path.GetTempPath(), $"sb-history-{Guid.NewGuid():N}.jsonl");
        try
        {
            history.Save(path);
            var replayed = Checker.Check(History.Load(path));
            Assert.Equal(Checker.Check(history).Anomalies.Select(a => a.ToString()), replayed.Anomalies.Select(a => a.ToString()));
            Assert.Equal([AnomalyKind.Resurrected, AnomalyKind.WatchOutOfOrder], replayed.Anomalies.Select(a => a.Kind));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
