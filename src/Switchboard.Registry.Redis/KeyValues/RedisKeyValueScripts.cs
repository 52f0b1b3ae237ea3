namespace Switchboard.Registry.Redis.KeyValues;

/// <summary>
/// The Lua scripts of the key/value store. Each decides its <c>cas</c> against what Redis holds, takes the next key/value
/// index, writes the value, its metadata and the key set together and publishes exactly one message per index it takes
/// (its <c>before</c> index lets every node notice a missed message). A refused or empty change takes no index.
/// KEYS of every script: index, keys (sorted set), values (hash), meta (hash). Numbers travel as decimal strings, so
/// flags and indexes are compared exactly.
/// </summary>
internal static class RedisKeyValueScripts
{
    private const string TakeIndex = """
        local before = tonumber(redis.call('GET', KEYS[1]) or '0')
        local g = string.format('%d', before + 1)
        redis.call('SET', KEYS[1], g)
        before = string.format('%d', before)
        """;

    /// <summary>ARGV: key, value, flags, cas ('' = none), channel. Returns {1, index, create index} or {0, current index}.</summary>
    public const string Put = """
        local meta = redis.call('HGET', KEYS[4], ARGV[1])
        local create, modify
        if meta then create, modify = string.match(meta, '^%d+ (%d+) (%d+)$') end
        if ARGV[4] ~= '' then
          local holds
          if ARGV[4] == '0' then holds = not meta else holds = meta and modify == ARGV[4] end
          if not holds then return {0, redis.call('GET', KEYS[1]) or '0'} end
        end
        """ + "\n" + TakeIndex + "\n" + """
        if not create then create = g end
        redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[4], ARGV[1], ARGV[3] .. ' ' .. create .. ' ' .. g)
        redis.call('ZADD', KEYS[2], 0, ARGV[1])
        redis.call('PUBLISH', ARGV[5], 'p ' .. g .. ' ' .. before .. ' ' .. ARGV[3] .. ' ' .. create .. ' ' .. string.len(ARGV[1]) .. '\n' .. ARGV[1] .. ARGV[2])
        return {1, g, create}
        """;

    /// <summary>ARGV: key, cas ('' = none), channel. Returns {1, index, changed 1/0} or {0, current index}; a missing key is applied with nothing to do.</summary>
    public const string Delete = """
        local meta = redis.call('HGET', KEYS[4], ARGV[1])
        if not meta then return {1, redis.call('GET', KEYS[1]) or '0', 0} end
        if ARGV[2] ~= '' then
          local _, modify = string.match(meta, '^%d+ (%d+) (%d+)$')
          if modify ~= ARGV[2] then return {0, redis.call('GET', KEYS[1]) or '0'} end
        end
        """ + "\n" + TakeIndex + "\n" + """
        redis.call('HDEL', KEYS[3], ARGV[1])
        redis.call('HDEL', KEYS[4], ARGV[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('PUBLISH', ARGV[3], 'd ' .. g .. ' ' .. before .. '\n' .. ARGV[1])
        return {1, g, 1}
        """;

    /// <summary>ARGV: prefix ('' = every key), channel. Returns {1, index, keys deleted}; nothing under the prefix takes no index.</summary>
    public const string DeleteTree = """
        local found
        if ARGV[1] == '' then found = redis.call('ZRANGE', KEYS[2], 0, -1)
        else found = redis.call('ZRANGEBYLEX', KEYS[2], '[' .. ARGV[1], '[' .. ARGV[1] .. '\255') end
        if #found == 0 then return {1, redis.call('GET', KEYS[1]) or '0', 0} end
        """ + "\n" + TakeIndex + "\n" + """
        for i = 1, #found, 1000 do
          local chunk = {unpack(found, i, math.min(i + 999, #found))}
          redis.call('HDEL', KEYS[3], unpack(chunk))
          redis.call('HDEL', KEYS[4], unpack(chunk))
          redis.call('ZREM', KEYS[2], unpack(chunk))
        end
        redis.call('PUBLISH', ARGV[2], 't ' .. g .. ' ' .. before .. '\n' .. ARGV[1])
        return {1, g, #found}
        """;

    /// <summary>
    /// ARGV: the lowest index acceptable. Raises the index to it when lower (a Redis that restarted without its data must not
    /// hand out indexes the nodes have already shown) and returns the index.
    /// </summary>
    public const string RaiseIndex = """
        local current = tonumber(redis.call('GET', KEYS[1]) or '0')
        local floor = tonumber(ARGV[1])
        if current < floor then
          redis.call('SET', KEYS[1], ARGV[1])
          return ARGV[1]
        end
        return string.format('%d', current)
        """;
}
