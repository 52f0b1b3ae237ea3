using Switchboard.Registry.Catalog.Compaction;

namespace Switchboard.Registry.Tests.Catalog;

/// <summary>Instances share what they repeat (service name, version, tags, metadata), and the shared forms behave as the originals.</summary>
public sealed class SharedValuesTests
{
    [Fact]
    public async Task InstancesRegisteredApart_ShareTheirRepeatedValues()
    {
        var fixture = new CatalogFixture();
        var a = await fixture.Catalog.RegisterAsync(CatalogFixture.Instance(port: 1, tags: ["api", "v1"], version: "1.0.0", metadata: new() { ["zone"] = "a" }), TestContext.Current.CancellationToken);
        var b = await fixture.Catalog.RegisterAsync(CatalogFixture.Instance(port: 2, tags: ["api", "v1"], version: "1.0.0", metadata: new() { ["zone"] = "a" }), TestContext.Current.CancellationToken);

        Assert.Same(a.Instance.ServiceName, b.Instance.ServiceName);
        Assert.Same(a.Instance.Version, b.Instance.Version);
        Assert.Same(a.Instance.Tags, b.Instance.Tags);
        Assert.Same(a.Instance.Metadata, b.Instance.Metadata);
        Assert.Equal(["api", "v1"], b.Instance.Tags);
        Assert.Equal("a", b.Instance.Metadata["zone"]);
    }

    [Fact]
    public void Compact_KeepsEveryValue_AndIsTheSameObjectOnceCompact()
    {
        var instance = CatalogFixture.Instance(tags: ["b", "a"], metadata: new() { ["x"] = "1", ["y"] = "2" });

        var compact = InstanceCompaction.Compact(instance);

        Assert.Same(compact, InstanceCompaction.Compact(compact));
        Assert.Equal(instance.Tags, compact.Tags);
        Assert.Equal(instance.Metadata, compact.Metadata);
        Assert.Equal((instance.InstanceId, instance.ServiceName, instance.Version), (compact.InstanceId, compact.ServiceName, compact.Version));
    }

    [Fact]
    public void CompactMap_IsAReadOnlyDictionary_InTheOrderGiven()
    {
        var map = CompactMap.From(new Dictionary<string, string> { ["zone"] = "a", ["az"] = "2" }, s => s);

        Assert.Equal(2, map.Count);
        Assert.Equal(["zone", "az"], map.Keys);
        Assert.Equal(["a", "2"], map.Values);
        Assert.True(map.TryGetValue("az", out var az));
        Assert.Equal("2", az);
        Assert.False(map.ContainsKey("Zone")); // ordinal, as the dictionaries it replaces
        Assert.Throws<KeyNotFoundException>(() => map["missing"]);
    }

    [Fact]
    public void ALongValue_IsNotShared_ButKept()
    {
        var text = new string('x', SharedValues.MaxSharedLength + 1);

        Assert.Same(text, SharedValues.String(text));
        Assert.Same(string.Empty, SharedValues.String(new string('y', 0)));
    }
}
