namespace Switchboard.Registry.Redis.Acl;

/// <summary>The compare-and-set that saves the ACL state.</summary>
internal static class RedisAclScripts
{
    /// <summary>
    /// KEYS: the ACL hash. ARGV: expected version, new version, state JSON, channel. Writes and publishes the new version
    /// only when the stored version (0 when absent) is the expected one. Returns 1 when saved, 0 when not.
    /// </summary>
    public const string Save = """
        local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
        if current ~= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'state', ARGV[3], 'version', ARGV[2])
        redis.call('PUBLISH', ARGV[4], ARGV[2])
        return 1
        """;
}
