using System.Text;
using Switchboard.Client.Configuration;

namespace Switchboard.Client.Tests.Configuration;

/// <summary>Keys under a prefix as configuration data: prefix cut, <c>/</c> to <c>:</c>, UTF-8 text, JSON only when asked.</summary>
public sealed class KeyValueMappingTests
{
    private static KeyValueItem Item(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));

    [Fact]
    public void PrefixCut_SlashesBecomeColons_FoldersLeftOut()
    {
        var data = KeyValueMapping.ToData(
            [Item("app/orders/Timeout", "00:00:05"), Item("app/orders/Http/Retries", "3"), Item("app/orders/folder/", ""), Item("app/other/X", "no")],
            "app/orders/", expandJson: false);

        Assert.Equal(2, data.Count);
        Assert.Equal("00:00:05", data["Timeout"]);
        Assert.Equal("3", data["http:retries"]);
    }

    [Fact]
    public void JsonValue_KeptAsText_UnlessExpandJson()
    {
        KeyValueItem[] items = [Item("p/Http", """{"Retries": 3, "Hosts": ["a", "b"], "Off": null, "On": true}"""), Item("p/Broken", "{not json")];

        var text = KeyValueMapping.ToData(items, "p/", expandJson: false);
        Assert.StartsWith("{\"Retries\"", text["Http"], StringComparison.Ordinal);

        var expanded = KeyValueMapping.ToData(items, "p/", expandJson: true);
        Assert.Equal("3", expanded["Http:Retries"]);
        Assert.Equal("b", expanded["Http:Hosts:1"]);
        Assert.Null(expanded["Http:Off"]);
        Assert.Equal("true", expanded["Http:On"]);
        Assert.False(expanded.ContainsKey("Http"));
        Assert.Equal("{not json", expanded["Broken"]);
    }

    [Fact]
    public void ValueNotUtf8_LeftOutAndReported()
    {
        var skipped = new List<string>();
        var data = KeyValueMapping.ToData([new KeyValueItem("p/Blob", [0xff, 0xfe, 0x00]), Item("p/Ok", "é")], "p/", false, skipped);

        Assert.Equal(["p/Blob"], skipped);
        Assert.Equal("é", Assert.Single(data).Value);
    }

    [Theory]
    [InlineData("app/orders", "app/orders/")]
    [InlineData("/app/orders/", "app/orders/")]
    [InlineData("", "")]
    public void Prefix_NormalizedToAFolder(string given, string expected) => Assert.Equal(expected, KeyValuesSettings.NormalizePrefix(given));

    [Theory]
    [InlineData("app/../secrets/", "'..'")]
    [InlineData("app/\u0001/", "control character")]
    public void Prefix_Refused_NamingWhy(string given, string why)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ConfigurationBuilder().AddSwitchboardKeyValues(given));
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }
}
