using System.Text;
using CsCheck;

namespace Switchboard.Server.Tests.Fuzz;

/// <summary>
/// Generators of hostile input for the registry's parsers: JSON bodies built from the APIs' own field names with values of
/// every type and every awkward string, valid bodies with bytes flipped, cut, inserted or repeated, and route, query and
/// header values.
/// </summary>
internal static class FuzzInputs
{
    private static readonly string[] NativeFields =
    [
        "service_name", "instance_id", "host", "port", "protocol", "path", "tags", "metadata", "version", "weight", "zone", "ttl",
        "check", "checks", "kind", "http", "tcp", "interval", "timeout", "id", "initial_status", "deregister_critical_after",
        "failures_before_critical", "successes_before_passing", "status", "output",
    ];

    private static readonly string[] ConsulFields =
    [
        "ID", "Name", "Address", "Port", "Tags", "Meta", "Check", "Checks", "TTL", "HTTP", "TCP", "Interval", "Timeout", "CheckID",
        "Weights", "Passing", "Warning", "Kind", "Proxy", "Connect", "DeregisterCriticalServiceAfter", "Status", "Notes", "Output",
        "EnableTagOverride", "TaggedAddresses", "Name", "ServiceID", "SuccessBeforePassing", "FailuresBeforeCritical", "Method", "Header",
    ];

    private static readonly string[] AwkwardStrings =
    [
        "", " ", "orders", "ORDERS", "a.b", ".", "..", "/", "//", "%2e%2e", "a/../b", "x:y", "-", "_", "127.0.0.1", "::1", "[::1]",
        "169.254.169.254", "localhost", "0", "-1", "65536", "1e400", "NaN", "Infinity", "10s", "-10s", "1h1m1s1ms", "999999999h",
        "passing", "warning", "critical", "maintenance", "<script>alert(1)</script>", "\u001b[2J", "\u0000", "\u202e", "\ud83d\ude00",
        "consul-x", "a=b", "http://127.0.0.1:1/health", "tcp://x", "ftp://x/y", new string('a', 300), new string('é', 5000),
    ];

    /// <summary>A string: an awkward one, or random characters from the whole UTF-16 range (lone surrogates included).</summary>
    public static readonly Gen<string> Text = Gen.Frequency(
        (3, Gen.OneOf(AwkwardStrings)),
        (2, Gen.String[Gen.Char, 0, 40]),
        (1, Gen.String[Gen.Char.AlphaNumeric, 0, 300]));

    private static Gen<string> Key(string[] fields) => Gen.Frequency((6, Gen.OneOf(fields)), (1, Text));

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (3, Text.Select(Quote)),
        (2, Gen.Int.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "1e999")),
        (1, Gen.OneOf("true", "false", "null", "-0", "1e400", "00", "\"\\ud800\"", "\"\\udc00x\"", "\"\\u0000\"")));

    /// <summary>A JSON value of depth at most <paramref name="depth"/> with keys mostly from <paramref name="fields"/>.</summary>
    private static Gen<string> Value(string[] fields, int depth)
    {
        if (depth == 0)
            return Scalar;
        var inner = Value(fields, depth - 1);
        var array = inner.Array[0, 5].Select(items => "[" + string.Join(",", items) + "]");
        var obj = Gen.Select(Key(fields), inner).Array[0, 8].Select(pairs => "{" + string.Join(",", pairs.Select(p => Quote(p.Item1) + ":" + p.Item2)) + "}");
        return Gen.Frequency((3, Scalar), (1, array), (3, obj));
    }

    /// <summary>A body that is a JSON object whose keys are mostly the API's own fields.</summary>
    private static Gen<string> Structured(string[] fields)
        => Gen.Select(Key(fields), Value(fields, 3)).Array[0, 14]
            .Select(pairs => "{" + string.Join(",", pairs.Select(p => Quote(p.Item1) + ":" + p.Item2)) + "}");

    /// <summary>A valid body with one to four byte-level mutations.</summary>
    private static Gen<byte[]> Mutated(string[] seeds)
        => Gen.Select(Gen.OneOf(seeds), Gen.Select(Gen.Int[0, 4], Gen.Int, Gen.Int, Gen.Byte).Array[1, 4])
            .Select(t => Mutate(Encoding.UTF8.GetBytes(t.Item1), t.Item2));

    /// <summary>Native registration bodies.</summary>
    public static Gen<byte[]> NativeRegistration { get; } = Gen.Frequency(
        (1, Structured(NativeFields).Select(Encoding.UTF8.GetBytes)),
        (1, Mutated(
        [
            """{"service_name":"orders","host":"127.0.0.1","port":8080,"instance_id":"o-1","tags":["a"],"metadata":{"k":"v"},"version":"1.0.0","ttl":"30s"}""",
            """{"service_name":"orders","host":"127.0.0.1","port":8081,"checks":[{"kind":"http","http":"/health","interval":"10s","timeout":"1s"},{"kind":"ttl","ttl":"30s","id":"t1"}]}""",
            """{"service_name":"pay","host":"10.0.0.1","port":443,"protocol":"https","path":"/api","weight":5,"zone":"a","check":{"kind":"tcp","interval":"5s"}}""",
        ])));

    /// <summary>Consul registration bodies.</summary>
    public static Gen<byte[]> ConsulRegistration { get; } = Gen.Frequency(
        (1, Structured(ConsulFields).Select(Encoding.UTF8.GetBytes)),
        (1, Mutated(
        [
            """{"ID":"redis1","Name":"redis","Tags":["primary"],"Address":"127.0.0.1","Port":8000,"Meta":{"v":"4"},"Check":{"HTTP":"http://127.0.0.1:8000/health","Interval":"10s","DeregisterCriticalServiceAfter":"90m"},"Weights":{"Passing":10,"Warning":1}}""",
            """{"Name":"web","Port":80,"Checks":[{"TTL":"30s","CheckID":"web-ttl"},{"TCP":"127.0.0.1:80","Interval":"5s"}]}""",
        ])));

    private static readonly string[] EurekaFields =
    [
        "instance", "instanceId", "hostName", "app", "ipAddr", "status", "overriddenstatus", "port", "securePort", "$", "@enabled",
        "countryId", "dataCenterInfo", "@class", "name", "leaseInfo", "durationInSecs", "renewalIntervalInSecs", "metadata",
        "homePageUrl", "statusPageUrl", "healthCheckUrl", "vipAddress", "secureVipAddress", "lastDirtyTimestamp",
    ];

    /// <summary>Eureka registration bodies for <c>/eureka/apps/ORDERS</c>, JSON and XML (sent without a content type, so the first character decides).</summary>
    public static Gen<byte[]> EurekaRegistration { get; } = Gen.Frequency(
        (1, Structured(EurekaFields).Select(body => Encoding.UTF8.GetBytes("{\"instance\":" + body + "}"))),
        (1, Mutated(
        [
            """{"instance":{"instanceId":"o-1","hostName":"127.0.0.1","app":"ORDERS","ipAddr":"127.0.0.1","status":"UP","port":{"$":8080,"@enabled":"true"},"securePort":{"$":443,"@enabled":"false"},"leaseInfo":{"durationInSecs":90},"metadata":{"k":"v"},"vipAddress":"orders","dataCenterInfo":{"@class":"com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo","name":"MyOwn"}}}""",
            """<instance><instanceId>o-2</instanceId><hostName>127.0.0.1</hostName><app>ORDERS</app><status>DOWN</status><port enabled="true">8081</port><leaseInfo><durationInSecs>30</durationInSecs></leaseInfo><metadata><k>v</k></metadata><dataCenterInfo class="x"><name>MyOwn</name></dataCenterInfo></instance>""",
        ])));

    private static readonly string[] AclFields =
    [
        "ID", "Name", "Description", "Rules", "Datacenters", "AccessorID", "SecretID", "Policies", "Local", "ExpirationTime",
        "ExpirationTTL", "Roles", "ServiceIdentities", "NodeIdentities", "BootstrapSecret", "service", "service_prefix", "policy",
    ];

    /// <summary>ACL policy and token bodies (<c>/v1/acl/policy</c>, <c>/v1/acl/token</c>).</summary>
    public static Gen<byte[]> AclBody { get; } = Gen.Frequency(
        (1, Structured(AclFields).Select(Encoding.UTF8.GetBytes)),
        (1, Mutated(
        [
            """{"Name":"orders-writer","Description":"d","Rules":"{\"service\":{\"orders\":{\"policy\":\"write\"}},\"service_prefix\":{\"\":{\"policy\":\"read\"}},\"acl\":\"read\"}"}""",
            """{"Description":"orders","Policies":[{"Name":"global-management"},{"ID":"00000000-0000-0000-0000-000000000001"}],"ExpirationTTL":"1h"}""",
            """{"AccessorID":"6f0f1c0e-1111-4222-8333-944455556666","SecretID":"9d3b7c2a-1111-4222-8333-944455556666","ExpirationTime":"2026-01-01T10:00:00Z","Local":true}""",
        ])));

    /// <summary>Heartbeat and check-update bodies.</summary>
    public static Gen<byte[]> Report { get; } = Gen.Frequency(
        (1, Structured(["status", "output", "Status", "Output"]).Select(Encoding.UTF8.GetBytes)),
        (1, Mutated(["""{"status":"warning","output":"slow"}""", """{"Status":"critical","Output":"down"}"""])));

    /// <summary>A path segment (escaped as a client would send it) and a query string.</summary>
    /// <remarks>
    /// No NUL in the path: Kestrel refuses such a request with 400 before the app sees it (checked on the real agent), and the
    /// in-memory test server throws instead. No <c>index</c> or <c>wait</c>: a valid pair parks a blocking query, which on the
    /// fuzz host's fake clock never ends (their parsing has tests of its own).
    /// </remarks>
    public static Gen<(string Segment, string Query)> RouteAndQuery { get; } = Gen.Select(
        Text.Select(s => Uri.EscapeDataString(ToWellFormed(s).Replace("\0", "", StringComparison.Ordinal))),
        Gen.Select(Gen.OneOf("tag", "version", "healthy", "passing", "filter", "service", "near", "dc", "stale", "pretty", "ns", "x"), Text)
            .Array[0, 5].Select(pairs => string.Join("&", pairs.Select(p => p.Item1 + "=" + Uri.EscapeDataString(ToWellFormed(p.Item2))))));

    /// <summary>A key/value route's query: its own parameters and some of Consul's, with awkward values (no <c>index</c>/<c>wait</c>, as above).</summary>
    public static Gen<string> KeyValueQuery { get; } =
        Gen.Select(Gen.OneOf("cas", "flags", "recurse", "keys", "separator", "seperator", "raw", "prefix", "acquire", "release", "dc", "stale", "x"), Text)
            .Array[0, 4].Select(pairs => string.Join("&", pairs.Select(p => p.Item1 + "=" + Uri.EscapeDataString(ToWellFormed(p.Item2)))));

    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
                builder.Append('\\').Append(c);
            else if (c < 0x20 || char.IsSurrogate(c))
                builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }
        return builder.Append('"').ToString();
    }

    /// <summary>The string with lone surrogates replaced, so it can be URL-escaped (a client cannot send them).</summary>
    private static string ToWellFormed(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    private static byte[] Mutate(byte[] body, (int Kind, int At, int Length, byte Byte)[] mutations)
    {
        var bytes = new List<byte>(body);
        foreach (var (kind, at, length, value) in mutations)
        {
            if (bytes.Count == 0)
                break;
            var i = (int)((uint)at % (uint)bytes.Count);
            var n = 1 + (int)((uint)length % 16);
            switch (kind)
            {
                case 0: bytes[i] = value; break; // overwrite
                case 1: bytes.RemoveRange(i, Math.Min(n, bytes.Count - i)); break; // delete
                case 2: bytes.Insert(i, value); break; // insert
                case 3: bytes.InsertRange(i, bytes.GetRange(i, Math.Min(n, bytes.Count - i))); break; // repeat a chunk
                default: bytes.RemoveRange(i, bytes.Count - i); break; // truncate
            }
        }
        return [.. bytes];
    }
}
