using Switchboard.Api;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Storage;

namespace Switchboard.Registry.Tests.Catalog;

/// <summary>A change reaches readers, blocking queries and the event stream only once the store acknowledged it; a refused change leaves the catalog as it was.</summary>
public sealed class CommitBeforeVisibleTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static HealthCheckSpec TtlCheck(string id) => new() { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(30), Id = id };

    /// <summary>An instance with the TTL check <c>orders-ttl</c>, durable, whose check reported "all good".</summary>
    private static async Task<(ControlledStore Store, CatalogFixture Fixture, ServiceInstance Original)> RegisteredWithOutputAsync()
    {
        var store = new ControlledStore();
        var f = new CatalogFixture(store);
        var original = CatalogFixture.Instance(check: TtlCheck("orders-ttl"));
        await f.Catalog.RegisterAsync(original, Token);
        await f.Catalog.UpdateCheckAsync("orders-ttl", HealthStatus.Passing, "all good", Token);
        return (store, f, original);
    }

    [Fact]
    public async Task RefusedRegistration_IsNeverVisible_AndFailsWithTheStoresReason()
    {
        var store = new ControlledStore { Mode = ControlledStore.Answer.Refuse };
        var f = new CatalogFixture(store);
        using var events = f.Catalog.Events.Subscribe();
        var parked = f.Catalog.WaitForServiceAsync("orders", 0, TimeSpan.FromMinutes(1), Token);
        var instance = CatalogFixture.Instance();

        var refused = await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => f.Catalog.RegisterAsync(instance, Token));

        Assert.Contains("no space left on device", refused.Message, StringComparison.Ordinal);
        Assert.Empty(f.Catalog.GetService("orders")?.Instances ?? []);
        Assert.Null(f.Catalog.GetInstance(instance.InstanceId));
        Assert.Equal(0, f.Catalog.InstanceCount);
        Assert.Equal(0, f.Catalog.PublishedIndex);
        Assert.False(parked.IsCompleted);
        Assert.False(events.Events.TryRead(out _));

        store.Mode = ControlledStore.Answer.Accept;
        var accepted = await f.Catalog.RegisterAsync(instance, Token);

        Assert.True(accepted.Created);
        var view = await parked;
        Assert.Equal(instance.InstanceId, Assert.Single(view!.Instances).InstanceId);
        Assert.True(events.Events.TryRead(out var change));
        Assert.Equal(CatalogEventTypes.Registered, change.Type);
        Assert.Single(store.Accepted);
    }

    [Fact]
    public async Task HeldRegistration_IsVisibleOnlyAfterTheStoreAcknowledgesIt()
    {
        var store = new ControlledStore { Mode = ControlledStore.Answer.Hold };
        var f = new CatalogFixture(store);
        using var events = f.Catalog.Events.Subscribe();
        var instance = CatalogFixture.Instance();

        var registering = f.Catalog.RegisterAsync(instance, Token);

        Assert.False(registering.IsCompleted);
        Assert.Empty(f.Catalog.GetService("orders")?.Instances ?? []);
        Assert.Null(f.Catalog.GetInstance(instance.InstanceId));
        Assert.Empty(f.Catalog.ListServices().Services);
        Assert.Equal(0, f.Catalog.PublishedIndex);
        Assert.False(events.Events.TryRead(out _));

        store.Release();
        await registering;

        Assert.Single(f.Catalog.GetService("orders")!.Instances);
        Assert.NotNull(f.Catalog.GetInstance(instance.InstanceId));
        Assert.Equal(1, f.Catalog.PublishedIndex);
        Assert.True(events.Events.TryRead(out _));
    }

    [Fact]
    public async Task RefusedDeregistration_KeepsTheInstance_AndARetryGetsTheSameAnswerUntilTheStoreTakesIt()
    {
        var store = new ControlledStore();
        var f = new CatalogFixture(store);
        var instance = CatalogFixture.Instance();
        await f.Catalog.RegisterAsync(instance, Token);
        store.Mode = ControlledStore.Answer.Refuse;

        await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => f.Catalog.DeregisterAsync(instance.InstanceId, Token));
        await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => f.Catalog.DeregisterAsync(instance.InstanceId, Token));

        Assert.Single(f.Catalog.GetService("orders")!.Instances);
        Assert.NotNull(f.Catalog.GetInstance(instance.InstanceId));
        Assert.Equal(1, f.Catalog.InstanceCount);

        store.Mode = ControlledStore.Answer.Accept;
        Assert.True(await f.Catalog.DeregisterAsync(instance.InstanceId, Token));
        Assert.Empty(f.Catalog.GetService("orders")!.Instances);
        Assert.False(await f.Catalog.DeregisterAsync(instance.InstanceId, Token));
    }

    [Fact]
    public async Task RefusedReRegistration_RestoresTheInstanceAndItsChecks()
    {
        var store = new ControlledStore();
        var f = new CatalogFixture(store);
        var original = CatalogFixture.Instance(check: TtlCheck("orders-ttl"));
        await f.Catalog.RegisterAsync(original, Token);
        store.Mode = ControlledStore.Answer.Refuse;
        var changed = CatalogFixture.Instance(port: 9090, check: TtlCheck("other-ttl")) with { InstanceId = original.InstanceId };

        await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => f.Catalog.RegisterAsync(changed, Token));

        Assert.Equal(8080, Assert.Single(f.Catalog.GetService("orders")!.Instances).Port);
        Assert.NotNull(f.Catalog.FindCheck("orders-ttl"));
        Assert.Null(f.Catalog.FindCheck("other-ttl"));

        store.Mode = ControlledStore.Answer.Accept;
        await f.Catalog.UpdateCheckAsync("orders-ttl", HealthStatus.Critical, "down", Token);
        Assert.Equal(HealthStatus.Critical, Assert.Single(f.Catalog.GetService("orders")!.Instances).Status);
    }

    [Fact]
    public async Task RefusedReRegistration_MovesTheOutputVersion_SoAnAnswerCachedWhileItWasPendingIsRebuilt()
    {
        var (store, f, _) = await RegisteredWithOutputAsync();
        var view = f.Catalog.GetService("orders")!;
        store.Mode = ControlledStore.Answer.Hold;
        var changed = CatalogFixture.Instance(check: TtlCheck("orders-ttl") with { Ttl = TimeSpan.FromMinutes(1) }); // same id, new spec: a new runtime

        var registering = f.Catalog.RegisterAsync(changed, Token);
        var cachedAt = view.OutputVersion; // what an answer built now (Consul's health answer) is stamped with
        Assert.Equal("all good", f.Catalog.FindCheck("orders-ttl")!.LatestOutput); // the committed runtime's, not the pending one's
        store.Release(new RegistryStoreUnavailableException("test store: disk full"));
        await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => registering);

        Assert.Same(view, f.Catalog.GetService("orders")); // rolled back: no new view to drop the cached answer with
        Assert.Equal("all good", f.Catalog.FindCheck("orders-ttl")!.LatestOutput);
        Assert.NotEqual(cachedAt, view.OutputVersion);
    }

    [Fact]
    public async Task PendingReRegistration_ShowsTheCommittedChecksOutputs_UntilTheStoreHasIt()
    {
        var (store, f, original) = await RegisteredWithOutputAsync();
        store.Mode = ControlledStore.Answer.Hold;

        var registering = f.Catalog.RegisterAsync(CatalogFixture.Instance(check: TtlCheck("orders-ttl") with { Ttl = TimeSpan.FromMinutes(1) }), Token);

        Assert.Equal("all good", f.Catalog.FindCheck("orders-ttl")!.LatestOutput);
        Assert.Equal("all good", f.Catalog.GetInstance(original.InstanceId)!.LatestOutput);
        Assert.Equal("all good", Assert.Single(f.Catalog.GetInstanceDetails(original.InstanceId)!.Checks).LatestOutput);

        store.Release();
        await registering;
        Assert.NotEqual("all good", f.Catalog.FindCheck("orders-ttl")!.LatestOutput); // the new runtime's, now durable
        Assert.NotEqual("all good", Assert.Single(f.Catalog.GetInstanceDetails(original.InstanceId)!.Checks).LatestOutput);
    }

    [Fact]
    public async Task ACheckAPendingReRegistrationAdds_IsNotFoundUntilTheStoreHasIt()
    {
        var store = new ControlledStore();
        var f = new CatalogFixture(store);
        var original = CatalogFixture.Instance();
        await f.Catalog.RegisterAsync(original, Token);
        store.Mode = ControlledStore.Answer.Hold;

        var registering = f.Catalog.RegisterAsync(CatalogFixture.Instance(check: TtlCheck("orders-ttl")), Token);

        Assert.Null(f.Catalog.FindCheck("orders-ttl"));
        Assert.Empty(f.Catalog.GetInstanceDetails(original.InstanceId)!.Checks);

        store.Release();
        await registering;
        Assert.NotNull(f.Catalog.FindCheck("orders-ttl"));
        Assert.Single(f.Catalog.GetInstanceDetails(original.InstanceId)!.Checks);
    }

    [Fact]
    public async Task Loading_TicksNoOutputClock()
    {
        var loaded = CatalogFixture.Instance(check: TtlCheck("orders-ttl")) with { CreateIndex = 1, ModifyIndex = 1 };
        var f = new CatalogFixture(new ControlledStore { Snapshot = new StoreSnapshot(1, [loaded]) });

        await f.Catalog.LoadAsync(Token);

        Assert.NotNull(f.Catalog.FindCheck("orders-ttl"));
        Assert.Equal(0, f.Catalog.GetService("orders")!.OutputVersion);
    }

    [Fact]
    public async Task RefusedStatusChange_KeepsTheStatusReadersSaw_AndARetryAppliesIt()
    {
        var store = new ControlledStore();
        var f = new CatalogFixture(store);
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(check: TtlCheck("ttl")), Token);
        store.Mode = ControlledStore.Answer.Refuse;

        await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => f.Catalog.UpdateCheckAsync("ttl", HealthStatus.Critical, "down", Token));

        Assert.Equal(HealthStatus.Passing, Assert.Single(f.Catalog.GetService("orders")!.Instances).Status);

        store.Mode = ControlledStore.Answer.Accept;
        await f.Catalog.UpdateCheckAsync("ttl", HealthStatus.Critical, "down", Token);
        Assert.Equal(HealthStatus.Critical, Assert.Single(f.Catalog.GetService("orders")!.Instances).Status);
    }

    [Fact]
    public async Task RefusedExpiry_KeepsTheInstance_AndTheSweepTriesAgain()
    {
        var store = new ControlledStore();
        var f = new CatalogFixture(store);
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(ttl: TimeSpan.FromSeconds(10)), Token);
        f.Time.Advance(TimeSpan.FromSeconds(11));
        store.Mode = ControlledStore.Answer.Refuse;

        await f.Catalog.SweepAsync(Token);

        Assert.Single(f.Catalog.GetService("orders")!.Instances);

        store.Mode = ControlledStore.Answer.Accept;
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await f.Catalog.SweepAsync(Token));
        Assert.Empty(f.Catalog.GetService("orders")!.Instances);
    }

    [Fact]
    public async Task AWriteToAnInstanceWithAChangeInFlight_WaitsForThatChange()
    {
        var store = new ControlledStore { Mode = ControlledStore.Answer.Hold };
        var f = new CatalogFixture(store);
        var instance = CatalogFixture.Instance();
        var registering = f.Catalog.RegisterAsync(instance, Token);

        var deregistering = f.Catalog.DeregisterAsync(instance.InstanceId, Token);

        Assert.False(deregistering.IsCompleted);
        Assert.Equal(1, store.HeldCount); // the removal is not proposed on top of a registration that may yet fail
        store.Release(new RegistryStoreUnavailableException("test store: disk full"));
        await Assert.ThrowsAsync<RegistryStoreUnavailableException>(() => registering);
        Assert.False(await deregistering); // the registration never happened
        Assert.Equal(0, f.Catalog.InstanceCount);
    }

    [Fact]
    public async Task ChangesHeldTogether_BecomeVisibleInIndexOrder()
    {
        var store = new ControlledStore { Mode = ControlledStore.Answer.Hold };
        var f = new CatalogFixture(store);
        using var events = f.Catalog.Events.Subscribe();
        var writes = Enumerable.Range(0, 20).Select(i => f.Catalog.RegisterAsync(CatalogFixture.Instance(port: 8000 + i), Token)).ToList();

        store.Release();
        await Task.WhenAll(writes);

        var indexes = new List<long>();
        while (events.Events.TryRead(out var change))
            indexes.Add(change.Index);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), indexes);
        Assert.Equal(20, f.Catalog.GetService("orders")!.Instances.Count);
        Assert.Equal(20, f.Catalog.PublishedIndex);
    }

    [Fact]
    public async Task ACheckIdAnotherInstanceOwns_IsRefused_AndNothingChanges()
    {
        var f = new CatalogFixture();
        await f.Catalog.RegisterAsync(CatalogFixture.Instance(check: TtlCheck("shared")), Token);
        var other = CatalogFixture.Instance(port: 9090, check: TtlCheck("shared"));

        var conflict = await Assert.ThrowsAsync<CheckIdConflictException>(() => f.Catalog.RegisterAsync(other, Token));

        Assert.Equal("shared", conflict.CheckId);
        Assert.Single(f.Catalog.GetService("orders")!.Instances);
        Assert.Null(f.Catalog.GetInstance(other.InstanceId));
        Assert.Equal(1, f.Catalog.Index);
    }

    [Fact]
    public async Task AnInstanceIdRegisteredUnderAnotherService_IsRefused_AndTheInstanceStaysWhereItWas()
    {
        var f = new CatalogFixture();
        var payments = CatalogFixture.Instance(service: "payments");
        await f.Catalog.RegisterAsync(payments, Token);
        var hijack = CatalogFixture.Instance(service: "orders", host: "10.6.6.6") with { InstanceId = payments.InstanceId };

        var refused = await Assert.ThrowsAsync<InstanceIdOwnedException>(() => f.Catalog.RegisterAsync(hijack, Token));

        Assert.Equal("payments", refused.OwnerService);
        Assert.Equal("10.0.0.1", Assert.Single(f.Catalog.GetService("payments")!.Instances).Host);
        Assert.Null(f.Catalog.GetService("orders"));
    }
}
