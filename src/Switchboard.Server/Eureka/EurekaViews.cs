using System.Globalization;
using Switchboard.Instances;
using Switchboard.Registration;
using Switchboard.Registry.Catalog;
using Switchboard.Registry.Health;

namespace Switchboard.Server.Eureka;

/// <summary>One application as Eureka lists it: its upper-case name and its instances, with each one's delta action when it is a delta's.</summary>
internal sealed record EurekaApplication(string Name, IReadOnlyList<ServiceInstance> Instances, IReadOnlyList<string>? Actions = null);

/// <summary>Writes Switchboard instances in Eureka's shapes (<c>applications</c>, <c>application</c>, <c>instance</c>), field by field in Eureka's order.</summary>
internal sealed class EurekaViews(ServiceCatalog catalog)
{
    private const string DefaultDataCenterClass = "com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo";
    private const string AmazonDataCenterClass = "com.netflix.appinfo.AmazonInfo";

    /// <summary><c>{"applications": {...}}</c>: the version, the apps hash code (of <paramref name="applications"/> unless given) and every application.</summary>
    public void Applications(EurekaWriter writer, IReadOnlyList<EurekaApplication> applications, string version, string actionType, string? hashCode = null)
    {
        writer.StartRoot("applications");
        writer.String("versions__delta", version);
        writer.String("apps__hashcode", hashCode ?? HashCode(applications));
        writer.StartList("application");
        foreach (var application in applications)
        {
            writer.StartItem("application");
            ApplicationBody(writer, application, actionType);
            writer.EndObject();
        }
        writer.EndList();
    }

    /// <summary><c>{"application": {...}}</c>.</summary>
    public void Application(EurekaWriter writer, EurekaApplication application)
    {
        writer.StartRoot("application");
        ApplicationBody(writer, application, "ADDED");
    }

    /// <summary><c>{"instance": {...}}</c>.</summary>
    public void Instance(EurekaWriter writer, ServiceInstance instance, string app)
    {
        writer.StartRoot("instance");
        InstanceBody(writer, instance, app, "ADDED");
    }

    /// <summary>
    /// Eureka's reconcile hash code: each status with its count, in status order, as <c>STATUS_count_</c>
    /// (<c>DOWN_1_UP_2_</c>); clients compare it with their copy's after applying a delta.
    /// </summary>
    public static string HashCode(IEnumerable<EurekaApplication> applications)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var instance in applications.SelectMany(a => a.Instances))
        {
            var status = EurekaStatus.Of(instance, out _);
            counts[status] = counts.GetValueOrDefault(status) + 1;
        }
        return string.Concat(counts.Select(p => $"{p.Key}_{p.Value.ToString(CultureInfo.InvariantCulture)}_"));
    }

    private void ApplicationBody(EurekaWriter writer, EurekaApplication application, string actionType)
    {
        writer.String("name", application.Name);
        writer.StartList("instance");
        for (var i = 0; i < application.Instances.Count; i++)
        {
            writer.StartItem("instance");
            InstanceBody(writer, application.Instances[i], application.Name, application.Actions?[i] ?? actionType);
            writer.EndObject();
        }
        writer.EndList();
    }

    private void InstanceBody(EurekaWriter writer, ServiceInstance instance, string app, string actionType)
    {
        var meta = instance.Metadata;
        var https = instance.Protocol == "https";
        var registered = instance.RegisteredAt.ToUnixTimeMilliseconds();
        var renewed = catalog.GetInstance(instance.InstanceId)?.LastHeartbeat?.ToUnixTimeMilliseconds() ?? registered;
        var status = EurekaStatus.Of(instance, out var overridden);

        writer.String("instanceId", instance.InstanceId);
        writer.String("hostName", EurekaMeta.Get(meta, EurekaMeta.HostName) ?? instance.Host);
        writer.String("app", app);
        writer.String("ipAddr", EurekaMeta.Get(meta, EurekaMeta.IpAddr) ?? instance.Host);
        writer.String("status", status);
        writer.String(writer.IsXml ? "overriddenstatus" : "overriddenStatus", overridden);
        writer.Port("port", Int(meta, EurekaMeta.Port) ?? (https ? 80 : instance.Port), Bool(meta, EurekaMeta.PortEnabled) ?? !https);
        writer.Port("securePort", Int(meta, EurekaMeta.SecurePort) ?? (https ? instance.Port : 443), Bool(meta, EurekaMeta.SecurePortEnabled) ?? https);
        writer.Number("countryId", Int(meta, EurekaMeta.CountryId) ?? 1);
        var dataCenter = EurekaMeta.Get(meta, EurekaMeta.DataCenter) ?? "MyOwn";
        writer.StartObject("dataCenterInfo", dataCenter.Equals("Amazon", StringComparison.OrdinalIgnoreCase) ? AmazonDataCenterClass : DefaultDataCenterClass);
        writer.String("name", dataCenter);
        writer.EndObject();
        writer.StartObject("leaseInfo");
        writer.Number("renewalIntervalInSecs", Int(meta, EurekaMeta.RenewalInterval) ?? EurekaRegistration.DefaultRenewalIntervalSecs);
        writer.Number("durationInSecs", (long)(instance.Ttl?.TotalSeconds ?? 0));
        writer.Number("registrationTimestamp", registered);
        writer.Number("lastRenewalTimestamp", renewed);
        writer.Number("evictionTimestamp", 0);
        writer.Number("serviceUpTimestamp", registered);
        writer.EndObject();
        writer.Map("metadata", EurekaMeta.Visible(meta));
        writer.String("homePageUrl", EurekaMeta.Get(meta, EurekaMeta.HomePageUrl) ?? instance.BaseUrl + "/");
        Optional(writer, "statusPageUrl", EurekaMeta.Get(meta, EurekaMeta.StatusPageUrl));
        Optional(writer, "healthCheckUrl", EurekaMeta.Get(meta, EurekaMeta.HealthCheckUrl) ?? HttpCheckUrl(instance));
        Optional(writer, "secureHealthCheckUrl", EurekaMeta.Get(meta, EurekaMeta.SecureHealthCheckUrl));
        writer.String("vipAddress", EurekaMeta.Get(meta, EurekaMeta.VipAddress) ?? instance.ServiceName);
        writer.String("secureVipAddress", EurekaMeta.Get(meta, EurekaMeta.SecureVipAddress) ?? instance.ServiceName);
        writer.String("isCoordinatingDiscoveryServer", "false");
        writer.String("lastUpdatedTimestamp", registered.ToString(CultureInfo.InvariantCulture));
        writer.String("lastDirtyTimestamp", EurekaMeta.Get(meta, EurekaMeta.LastDirtyTimestamp) ?? registered.ToString(CultureInfo.InvariantCulture));
        writer.String("actionType", actionType);
    }

    private static void Optional(EurekaWriter writer, string name, string? value)
    {
        if (value is not null)
            writer.String(name, value);
    }

    private static string? HttpCheckUrl(ServiceInstance instance)
        => instance.Checks.FirstOrDefault(c => c.Spec.Kind == HealthCheckKind.Http) is { } check ? NetworkHealthProbe.HttpCheckUrl(instance, check.Spec).ToString() : null;

    private static int? Int(IReadOnlyDictionary<string, string> meta, string key)
        => EurekaMeta.Get(meta, key) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool? Bool(IReadOnlyDictionary<string, string> meta, string key)
        => EurekaMeta.Get(meta, key) is { } text && bool.TryParse(text, out var value) ? value : null;
}
