using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Switchboard.Server.Limits;

namespace Switchboard.Server.Tests.Limits;

/// <summary>How the write limiter counts callers: by normalised address, loopback (mapped too) exempt, no address not limited.</summary>
public sealed class WriteRateLimiterTests
{
    [Fact]
    public void AnIPv4CallerOnADualStackSocket_SharesTheBucketOfItsIPv4Address()
    {
        using var limiter = Limiter(exemptLoopback: true);

        Assert.True(limiter.TryAcquire(From("10.1.2.3"), out _));
        Assert.False(limiter.TryAcquire(From("::ffff:10.1.2.3"), out var refusal));
        Assert.Contains("too many writes from 10.1.2.3:", refusal!.Reason, StringComparison.Ordinal);
        Assert.True(limiter.TryAcquire(From("10.1.2.4"), out _));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void LoopbackCallers_Exempt(string address)
    {
        using var limiter = Limiter(exemptLoopback: true);
        for (var i = 0; i < 10; i++)
            Assert.True(limiter.TryAcquire(From(address), out _));
    }

    [Fact]
    public void NoClientAddress_NotLimited()
    {
        using var limiter = Limiter(exemptLoopback: false);
        for (var i = 0; i < 10; i++)
            Assert.True(limiter.TryAcquire(new DefaultHttpContext(), out _));
    }

    [Fact]
    public void RetryAfter_IsTheTimeUntilTheNextPermit()
    {
        var time = new FakeTimeProvider();
        using var limiter = Limiter(exemptLoopback: false, time, permitsPerSecond: 1, burst: 1);
        Assert.True(limiter.TryAcquire(From("10.1.2.3"), out _));

        time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.False(limiter.TryAcquire(From("10.1.2.3"), out var refusal));
        Assert.Equal(TimeSpan.FromMilliseconds(750), refusal!.RetryAfter);
        Assert.Equal(StatusCodes.Status429TooManyRequests, refusal.StatusCode);
    }

    private static WriteRateLimiter Limiter(bool exemptLoopback, TimeProvider? time = null, int permitsPerSecond = 1, int burst = 1)
    {
        var options = new LimitsOptions { Writes = new WriteLimitOptions { PermitsPerSecond = permitsPerSecond, Burst = burst, ExemptLoopback = exemptLoopback } };
        return new WriteRateLimiter(Options.Create(options), time ?? new FakeTimeProvider());
    }

    private static DefaultHttpContext From(string address)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context;
    }
}
