using StackExchange.Redis;

namespace Switchboard.Registry.Redis;

/// <summary>
/// The keys of one namespace. Every key carries the namespace as a cluster hash tag (<c>{ns}:...</c>) so they all live in
/// one slot and the scripts that touch several of them stay atomic on Redis Cluster.
/// </summary>
internal sealed class RedisKeys
{
    public RedisKeys(string ns)
    {
        Namespace = ns;
        Prefix = "{" + ns + "}:";
        Index = Prefix + "index";
        Versions = Prefix + "versions";
        Services = Prefix + "services";
        Tombstones = Prefix + "tombstones";
        Leader = Prefix + "leader";
        ChannelName = Prefix + "changes";
        Channel = RedisChannel.Literal(ChannelName);
        Acl = Prefix + "acl";
        AclChannel = RedisChannel.Literal(Prefix + "acl:changes");
        KvIndex = Prefix + "kv:index";
        KvKeys = Prefix + "kv:keys";
        KvValues = Prefix + "kv:values";
        KvMeta = Prefix + "kv:meta";
        KvChannelName = Prefix + "kv:changes";
        KvChannel = RedisChannel.Literal(KvChannelName);
    }

    public string Namespace { get; }

    /// <summary><c>{ns}:</c></summary>
    public string Prefix { get; }

    /// <summary>The global index (string).</summary>
    public RedisKey Index { get; }

    /// <summary>Every instance id with its modify index (sorted set).</summary>
    public RedisKey Versions { get; }

    /// <summary>Every service name with the index of its last change (hash).</summary>
    public RedisKey Services { get; }

    /// <summary>Removed instance ids with the time of removal in Unix milliseconds (sorted set).</summary>
    public RedisKey Tombstones { get; }

    /// <summary>The node id of the leader, with a TTL (string).</summary>
    public RedisKey Leader { get; }

    public string ChannelName { get; }

    /// <summary>The pub/sub channel every change is published on.</summary>
    public RedisChannel Channel { get; }

    /// <summary>The whole ACL state (hash: <c>state</c>, the JSON; <c>version</c>).</summary>
    public RedisKey Acl { get; }

    /// <summary>The pub/sub channel an ACL change is announced on (the message is the new version).</summary>
    public RedisChannel AclChannel { get; }

    /// <summary>The key/value index (string), independent of the catalog's.</summary>
    public RedisKey KvIndex { get; }

    /// <summary>Every key/value key, for prefix ranges (sorted set, all scores 0: ordered by bytes).</summary>
    public RedisKey KvKeys { get; }

    /// <summary>Every key/value key with its value's bytes (hash).</summary>
    public RedisKey KvValues { get; }

    /// <summary>Every key/value key with <c>"flags create-index modify-index"</c> (hash).</summary>
    public RedisKey KvMeta { get; }

    public string KvChannelName { get; }

    /// <summary>The pub/sub channel every key/value change is published on (see <c>KeyValues/KeyValueMessage</c>).</summary>
    public RedisChannel KvChannel { get; }

    /// <summary>One instance (hash: <c>record</c>, <c>index</c>, <c>created</c>, <c>service</c>, <c>at</c>, <c>lease</c>, <c>ttl:&lt;check id&gt;</c>).</summary>
    public RedisKey Instance(string instanceId) => Prefix + InstancePart + instanceId;

    public const string InstancePart = "instance:";

    /// <summary>The names (after the prefix) of the keys that are not instances.</summary>
    public static readonly string[] Fixed = ["index", "versions", "services", "tombstones", "leader", "acl", "kv:index", "kv:keys", "kv:values", "kv:meta", "kv:changes"];
}
