using Switchboard.Instances;
using Switchboard.Registration;

namespace Switchboard.Abstractions.Tests.Registration;

public sealed class RegistrationValidatorTests
{
    private static readonly ServiceRegistration Valid = new()
    {
        ServiceName = "user-service",
        Host = "localhost",
        Port = 8080,
        Path = "/api/v1/",
        HealthCheckPath = "/health",
        Tags = ["web", "api", "web"],
        Metadata = new Dictionary<string, string> { ["environment"] = "production" },
    };

    [Theory]
    [InlineData(null, "1.0.0", "1.0.0")] // seed 001's body: the version in metadata
    [InlineData("2.0.0", "1.0.0", "2.0.0")] // the field wins
    [InlineData("", "1.0.0", "1.0.0")]
    [InlineData(null, null, "")]
    public void Validate_VersionAbsent_MetadataVersionIsTheVersion(string? version, string? metadataVersion, string expected)
    {
        var metadata = new Dictionary<string, string> { ["environment"] = "production" };
        if (metadataVersion is not null)
            metadata["version"] = metadataVersion;

        var errors = RegistrationValidator.Validate(Valid with { Version = version, Metadata = metadata }, null, out var instance);

        Assert.Empty(errors);
        Assert.Equal(expected, instance!.Version);
        Assert.Equal(metadataVersion, instance.Metadata.GetValueOrDefault("version")); // metadata is kept as sent
    }

    [Fact]
    public void Validate_SeedBody_NormalizesInstance()
    {
        var errors = RegistrationValidator.Validate(Valid, TimeSpan.FromMinutes(5), out var instance);

        Assert.Empty(errors);
        Assert.NotNull(instance);
        Assert.Equal("user-service-localhost-8080", instance.InstanceId);
        Assert.Equal("http://localhost:8080/api/v1", instance.BaseUrl);
        Assert.Equal(["api", "web"], instance.Tags);
        var check = Assert.Single(instance.Checks);
        Assert.Equal("service:user-service-localhost-8080", check.CheckId);
        Assert.Equal(HealthCheckKind.Http, check.Spec.Kind);
        Assert.Equal("/health", check.Spec.Http);
        Assert.Equal(TimeSpan.FromMinutes(5), instance.Ttl);
        Assert.Equal(HealthStatus.Passing, instance.Status);
    }

    [Fact]
    public void Validate_CheckIdWithTheMaintenancePrefix_RefusedNamingTheField()
    {
        var check = new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(30), Id = "_service_maintenance:user-service-1" };

        var errors = RegistrationValidator.Validate(Valid with { Checks = [check] }, null, out var instance);

        Assert.Null(instance);
        Assert.Contains("_service_maintenance:", Assert.Single(errors["checks[0].id"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NullCheckInTheList_IsAnErrorNamingIt()
    {
        var errors = RegistrationValidator.Validate(Valid with { Checks = [null!] }, TimeSpan.FromMinutes(5), out var instance);

        Assert.Null(instance);
        Assert.Contains("checks[0]", errors.Keys);
    }

    [Fact]
    public void Validate_ZeroTtl_MeansNoLease()
    {
        RegistrationValidator.Validate(Valid with { Ttl = TimeSpan.Zero }, TimeSpan.FromMinutes(5), out var instance);
        Assert.Null(instance!.Ttl);
    }

    [Theory]
    [InlineData("User-Service", "service_name")]
    [InlineData("-svc", "service_name")]
    [InlineData("a..b", "service_name")]
    [InlineData("", "service_name")]
    [InlineData("svc_x", "service_name")]
    public void Validate_BadServiceName_NamesField(string name, string field)
    {
        var errors = RegistrationValidator.Validate(Valid with { ServiceName = name }, null, out var instance);
        Assert.Null(instance);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Validate_LongLabel_Rejected()
    {
        var errors = RegistrationValidator.Validate(Valid with { ServiceName = new string('a', 64) }, null, out _);
        Assert.Contains("service_name", errors.Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_NamesPort(int port)
    {
        var errors = RegistrationValidator.Validate(Valid with { Port = port }, null, out _);
        Assert.Contains("port", errors.Keys);
    }

    [Fact]
    public void Validate_EveryBadField_ReportsEachField()
    {
        var bad = new ServiceRegistration
        {
            ServiceName = "ok",
            Host = " ",
            Port = 80,
            Protocol = "ftp",
            Path = "no-slash",
            Weight = 0,
            Ttl = TimeSpan.FromSeconds(-5),
            Tags = Enumerable.Range(0, 65).Select(i => $"t{i}").ToList(),
            Metadata = Enumerable.Range(0, 65).ToDictionary(i => $"k{i}", i => "v"),
            Check = new HealthCheckSpec { Kind = HealthCheckKind.Ttl, FailuresBeforeCritical = 0, Interval = TimeSpan.FromMilliseconds(1) },
        };

        var errors = RegistrationValidator.Validate(bad, null, out var instance);

        Assert.Null(instance);
        foreach (var field in new[] { "host", "protocol", "path", "weight", "ttl", "tags", "metadata", "check.ttl", "check.failures_before_critical", "check.interval" })
            Assert.Contains(field, errors.Keys);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("svc.default.svc.cluster.local")]
    public void Validate_Hosts_Accepted(string host)
    {
        var errors = RegistrationValidator.Validate(Valid with { Host = host }, null, out var instance);
        Assert.Empty(errors);
        Assert.DoesNotContain('[', instance!.Host);
    }

    [Fact]
    public void Validate_Ipv6Host_BracketsBaseUrl()
    {
        RegistrationValidator.Validate(Valid with { Host = "::1", Path = null }, null, out var instance);
        Assert.Equal("http://[::1]:8080", instance!.BaseUrl);
    }

    [Fact]
    public void Validate_HostileHost_Rejected()
    {
        var errors = RegistrationValidator.Validate(Valid with { Host = "evil host/../x" }, null, out _);
        Assert.Contains("host", errors.Keys);
    }
}

public sealed class MultipleChecksTests
{
    [Fact]
    public void Validate_CheckAndChecks_NumberedIdsAndWorstStatus()
    {
        var registration = new ServiceRegistration
        {
            ServiceName = "web",
            Host = "h",
            Port = 1,
            Check = new HealthCheckSpec { Kind = HealthCheckKind.Http, Http = "/health" },
            Checks = [new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(10), InitialStatus = HealthStatus.Critical }, new HealthCheckSpec { Id = "disk", Kind = HealthCheckKind.Tcp }],
        };

        var errors = RegistrationValidator.Validate(registration, null, out var instance);

        Assert.Empty(errors);
        Assert.Equal(["service:web-h-1:1", "service:web-h-1:2", "disk"], instance!.Checks.Select(c => c.CheckId));
        Assert.Equal(HealthStatus.Critical, instance.Status);
    }

    [Fact]
    public void Validate_BadCheckInList_NamesIndexedField()
    {
        var registration = new ServiceRegistration
        {
            ServiceName = "web",
            Host = "h",
            Port = 1,
            Checks = [new HealthCheckSpec { Kind = HealthCheckKind.Ttl, Ttl = TimeSpan.FromSeconds(10) }, new HealthCheckSpec { Kind = HealthCheckKind.Http }],
        };

        var errors = RegistrationValidator.Validate(registration, null, out _);

        Assert.Contains("checks[1].http", errors.Keys);
    }

    [Fact]
    public void Validate_DuplicateCheckIds_Rejected()
    {
        var registration = new ServiceRegistration
        {
            ServiceName = "web",
            Host = "h",
            Port = 1,
            Checks = [new HealthCheckSpec { Id = "a", Kind = HealthCheckKind.Tcp }, new HealthCheckSpec { Id = "a", Kind = HealthCheckKind.Tcp }],
        };

        Assert.Contains("checks", RegistrationValidator.Validate(registration, null, out _).Keys);
    }
}
