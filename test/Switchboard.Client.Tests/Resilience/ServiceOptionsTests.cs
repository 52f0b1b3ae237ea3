using Microsoft.Extensions.Options;
using Switchboard.Client.Tests.TestSupport;

namespace Switchboard.Client.Tests.Resilience;

public sealed class ServiceOptionsTests
{
    private static SwitchboardOptions Options(Dictionary<string, string?> config)
    {
        using var provider = ClientServices.Build(config);
        return provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value;
    }

    private static string Invalid(Dictionary<string, string?> config)
    {
        using var provider = ClientServices.Build(config);
        return Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SwitchboardOptions>>().Value).Message;
    }

    [Fact]
    public void ForService_NothingConfigured_BuiltInDefaultsFromSeeds()
    {
        var o = Options([]).ForService("user-service");
        Assert.Equal((3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)), (o.MaxAttempts, o.RetryBaseDelay, o.RetryMaxDelay));
        Assert.Equal((5, 2, TimeSpan.FromSeconds(60)), (o.FailureThreshold, o.SuccessThreshold, o.BreakDuration));
        Assert.Equal(10, o.MaxConnectionsPerServer);
        Assert.Equal("PowerOfTwoChoices", o.LoadBalancingPolicy);
    }

    [Fact]
    public void ForService_TierThenOwnValues_OwnValuesWin()
    {
        var o = Options(new()
        {
            ["Switchboard:Defaults:MaxAttempts"] = "4",
            ["Switchboard:Services:ml-service:Tier"] = "ml",
            ["Switchboard:Services:ml-service:FailureThreshold"] = "7",
        });
        var ml = o.ForService("ml-service");
        Assert.Equal(TimeSpan.FromSeconds(120), ml.TotalTimeout);
        Assert.Equal(2, ml.MaxAttempts);
        Assert.Equal(7, ml.FailureThreshold);
        Assert.Equal(4, o.ForService("other-service").MaxAttempts);
    }

    [Fact]
    public void Validate_AttemptTimeoutLongerThanTotal_NamesKey()
    {
        var message = Invalid(new() { ["Switchboard:Services:user-service:AttemptTimeout"] = "00:01:00", ["Switchboard:Services:user-service:TotalTimeout"] = "00:00:30" });
        Assert.Contains("Switchboard:Services:user-service:AttemptTimeout", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OneServiceInvalid_TheCrossFieldRulesOfTheOthersStillRun()
    {
        var message = Invalid(new()
        {
            ["Switchboard:Services:a-service:FailureThreshold"] = "0",
            ["Switchboard:Services:b-service:AttemptTimeout"] = "00:01:00",
            ["Switchboard:Services:b-service:TotalTimeout"] = "00:00:30",
        });
        Assert.Contains("Switchboard:Services:a-service:FailureThreshold", message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Services:b-service:AttemptTimeout: 00:01:00 is longer than the total timeout", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TimeoutLongerThanADay_NamesKey()
    {
        var message = Invalid(new() { ["Switchboard:Defaults:TotalTimeout"] = "10675199.00:00:00" });
        Assert.Contains("Switchboard:Defaults:TotalTimeout: 10675199.00:00:00 is longer than the longest call timeout", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RetryDelayLongerThanADay_NamesKey()
    {
        var message = Invalid(new() { ["Switchboard:Services:user-service:RetryMaxDelay"] = "2.00:00:00" });
        Assert.Contains("Switchboard:Services:user-service:RetryMaxDelay: 2.00:00:00 is longer than the longest retry delay", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ZeroAttemptsNegativeDurationUnknownTier_NameEachKey()
    {
        var message = Invalid(new()
        {
            ["Switchboard:Defaults:MaxAttempts"] = "0",
            ["Switchboard:Services:a-service:BreakDuration"] = "-00:00:05",
            ["Switchboard:Services:b-service:Tier"] = "gold",
            ["Switchboard:Services:c-service:LoadBalancingPolicy"] = "fastest",
        });
        Assert.Contains("Switchboard:Defaults:MaxAttempts", message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Services:a-service:BreakDuration", message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Services:b-service:Tier: unknown tier 'gold'", message, StringComparison.Ordinal);
        Assert.Contains("Switchboard:Services:c-service:LoadBalancingPolicy: unknown policy 'fastest'", message, StringComparison.Ordinal);
    }
}
