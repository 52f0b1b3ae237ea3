using System.Text.Json;
using Switchboard.Samples.Irrigation.Hosting;
using Switchboard.Samples.Irrigation.Optimizer;

namespace Switchboard.Samples.Tests.Optimizer;

public sealed class OptimizationRequestValidatorTests
{
    private static ValidOptimization? Validate(string json, out Dictionary<string, string[]> errors) =>
        OptimizationRequestValidator.Validate(JsonSerializer.Deserialize<OptimizationRequest>(json, SampleJson.Options), out errors);

    [Fact]
    public void Validate_CompleteRequest_Valid()
    {
        var valid = Validate("""{"zones":["zone-2","zone-1"],"horizon_hours":12,"target_volumes_m3":{"zone-1":900},"gate_overrides":{"G-04":0.3},"refresh_topology":true}""", out var errors);

        Assert.Empty(errors);
        Assert.NotNull(valid);
        Assert.Equal(["zone-2", "zone-1"], valid.Zones);
        Assert.Equal(12, valid.HorizonHours);
        Assert.Equal(900, valid.TargetVolumesM3["zone-1"]);
        Assert.Equal(0.3, valid.GateOverrides["G-04"]);
        Assert.True(valid.RefreshTopology);
    }

    [Fact]
    public void Validate_SeveralProblems_EachFieldNamed()
    {
        var valid = Validate("""{"zones":["zone-1","zone-1","zone-7"],"horizon_hours":100,"target_volumes_m3":{"zone-3":10}}""", out var errors);

        Assert.Null(valid);
        Assert.Equal(["horizon_hours", "target_volumes_m3.zone-3", "zones[1]", "zones[2]"], errors.Keys.Order());
        Assert.Contains("listed twice", errors["zones[1]"][0], StringComparison.Ordinal);
        Assert.Contains("known zones are zone-1", errors["zones[2]"][0], StringComparison.Ordinal);
        Assert.Contains("at most 72", errors["horizon_hours"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullBody_BodyNamed()
    {
        Assert.Null(OptimizationRequestValidator.Validate(null, out var errors));
        Assert.Equal("body", Assert.Single(errors).Key);
    }

    [Fact]
    public void Validate_OverrideOutsideZeroToOne_PassedOnForScadaToJudge()
    {
        var valid = Validate("""{"zones":["zone-1"],"horizon_hours":6,"gate_overrides":{"G-02":1.5}}""", out var errors);

        Assert.Empty(errors);
        Assert.Equal(1.5, valid!.GateOverrides["G-02"]);
    }

    [Theory]
    [InlineData("""{"zones":"zone-1","horizon_hours":6}""", "zones", "an array of zone ids")]
    [InlineData("""{"zones":["zone-1"],"horizon_hours":"six"}""", "horizon_hours", "a number of hours")]
    [InlineData("""{"zones":["zone-1"],"horizon_hours":6,"priority":1}""", "priority", "is not a field of this request")]
    [InlineData("""{"zones":["zone-1"],""", "body", "The body is not valid JSON")]
    [InlineData("", "body", "A JSON object is required")]
    public void Describe_MalformedJson_NamesTheFieldAndWhatItMustBe(string json, string field, string message)
    {
        var exception = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<OptimizationRequest>(json, SampleJson.Options));

        var (actualField, actualMessage) = RequestJsonErrors.Describe(exception);

        Assert.Equal(field, actualField);
        Assert.Contains(message, actualMessage, StringComparison.Ordinal);
    }
}
