using Switchboard.Client.SelfRegistration;

namespace Switchboard.Client.AspNetCore.Tests.SelfRegistration;

public sealed class ServerAddressSelectorTests
{
    private static (string, string, int)? Select(params string[] addresses) => ServerAddressSelector.Select(addresses, () => "10.1.2.3");

    [Theory]
    [InlineData("http://+:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://[::]:8080")]
    public void Select_WildcardBinding_UsesMachineAddressNotLoopback(string address) =>
        Assert.Equal(("http", "10.1.2.3", 8080), Select(address));

    [Fact]
    public void Select_SpecificBinding_UsesItAsBound() => Assert.Equal(("http", "127.0.0.1", 5123), Select("http://127.0.0.1:5123"));

    [Fact]
    public void Select_HttpAndHttps_PrefersHttp() => Assert.Equal(("http", "10.0.0.5", 80), Select("https://10.0.0.5:443", "http://10.0.0.5:80"));

    [Fact]
    public void Select_HttpsOnly_UsesHttps() => Assert.Equal(("https", "10.0.0.5", 443), Select("https://10.0.0.5:443"));

    [Fact]
    public void Select_Nothing_ReturnsNull() => Assert.Null(Select());

    [Fact]
    public void MachineAddress_Always_IsNotLoopback() =>
        Assert.False(System.Net.IPAddress.TryParse(ServerAddressSelector.MachineAddress(), out var ip) && System.Net.IPAddress.IsLoopback(ip));
}
