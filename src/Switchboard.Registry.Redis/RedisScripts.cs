namespace Switchboard.Registry.Redis;

/// <summary>
/// The Lua scripts that change the shared state. Each runs atomically: it checks its condition, moves the global index,
/// writes the instance, the versions, the service index and the tombstones together, and publishes exactly one message
/// per index it takes, so no node can observe (or leave) a torn record.
/// </summary>
internal static class RedisScripts
{
    /// <summary>Shared by the scripts that take an index: the next index is one past the current one, or the writer's provisional index when that is higher.</summary>
    private const string TakeIndex = """
        local before = tonumber(redis.call('GET', KEYS[1]) or '0')
        local g = before + 1
        if provisional > g then g = provisional end
        redis.call('SET', KEYS[1], string.format('%d', g))
        """;

    /// <summary>
    /// Puts an instance. KEYS: index, versions, services, tombstones, instance. ARGV: id, service, record, type, provisional,
    /// node, registration (1/0), write-back (1/0), at (ms), lease deadline (ms, 0 = none), channel, then check id/deadline pairs.
    /// Returns {index, create index, status}; index 0 when refused.
    /// </summary>
    public const string Put = """
        local exists = redis.call('EXISTS', KEYS[5]) == 1
        local at = tonumber(ARGV[9])
        local provisional = tonumber(ARGV[5])
        if not exists and ARGV[7] ~= '1' then return {0, 0, 'gone'} end
        if ARGV[8] == '1' then
          local tomb = redis.call('ZSCORE', KEYS[4], ARGV[1])
          if tomb and tonumber(tomb) > at then return {0, 0, 'removed later'} end
          if exists then
            local w = redis.call('HGET', KEYS[5], 'at')
            if w and tonumber(w) > at then return {0, 0, 'changed later'} end
          end
        end
        """ + "\n" + TakeIndex + "\n" + """

        local created = g
        local old = false
        if exists then
          created = tonumber(redis.call('HGET', KEYS[5], 'created') or g) or g
          old = redis.call('HGET', KEYS[5], 'service')
        end
        redis.call('HSET', KEYS[5], 'record', ARGV[3], 'index', string.format('%d', g), 'created', string.format('%d', created), 'service', ARGV[2], 'at', ARGV[9])
        if ARGV[7] == '1' then
          if ARGV[10] == '0' then redis.call('HDEL', KEYS[5], 'lease') else redis.call('HSET', KEYS[5], 'lease', ARGV[10]) end
          for i = 12, #ARGV, 2 do redis.call('HSET', KEYS[5], 'ttl:' .. ARGV[i], ARGV[i + 1]) end
          redis.call('ZREM', KEYS[4], ARGV[1])
        end
        redis.call('ZADD', KEYS[2], g, ARGV[1])
        redis.call('HSET', KEYS[3], ARGV[2], string.format('%d', g))
        if old and old ~= ARGV[2] then redis.call('HSET', KEYS[3], old, string.format('%d', g)) end
        redis.call('PUBLISH', ARGV[11], '{"i":' .. string.format('%d', g) .. ',"b":' .. string.format('%d', before) .. ',"c":' .. string.format('%d', created)
          .. ',"p":' .. string.format('%d', provisional) .. ',"n":' .. cjson.encode(ARGV[6]) .. ',"t":' .. cjson.encode(ARGV[4])
          .. ',"id":' .. cjson.encode(ARGV[1]) .. ',"s":' .. cjson.encode(ARGV[2]) .. ',"r":' .. ARGV[3] .. '}')
        return {g, created, 'ok'}
        """;

    /// <summary>
    /// Removes an instance. KEYS: index, versions, services, tombstones, instance. ARGV: id, service, type, provisional, node,
    /// write-back (1/0), at (ms), now (ms), channel. An expiry is refused when the shared lease was renewed.
    /// Returns {index, 0, status}; index 0 when refused or already gone.
    /// </summary>
    public const string Remove = """
        local at = tonumber(ARGV[7])
        local provisional = tonumber(ARGV[4])
        if redis.call('EXISTS', KEYS[5]) == 0 then
          local tomb = redis.call('ZSCORE', KEYS[4], ARGV[1])
          if not tomb or tonumber(tomb) < at then redis.call('ZADD', KEYS[4], at, ARGV[1]) end
          return {0, 0, 'gone'}
        end
        if ARGV[3] == 'expired' then
          local lease = redis.call('HGET', KEYS[5], 'lease')
          if not lease or tonumber(lease) > tonumber(ARGV[8]) then return {0, 0, 'renewed'} end
        end
        if ARGV[6] == '1' then
          local w = redis.call('HGET', KEYS[5], 'at')
          if w and tonumber(w) > at then return {0, 0, 'changed later'} end
        end
        local service = redis.call('HGET', KEYS[5], 'service') or ARGV[2]
        """ + "\n" + TakeIndex + "\n" + """

        redis.call('DEL', KEYS[5])
        redis.call('ZREM', KEYS[2], ARGV[1])
        redis.call('ZADD', KEYS[4], at, ARGV[1])
        redis.call('HSET', KEYS[3], service, string.format('%d', g))
        redis.call('PUBLISH', ARGV[9], '{"i":' .. string.format('%d', g) .. ',"b":' .. string.format('%d', before) .. ',"c":0,"p":' .. string.format('%d', provisional)
          .. ',"n":' .. cjson.encode(ARGV[5]) .. ',"t":' .. cjson.encode(ARGV[3]) .. ',"id":' .. cjson.encode(ARGV[1])
          .. ',"s":' .. cjson.encode(service) .. ',"r":null}')
        return {g, 0, 'ok'}
        """;

    /// <summary>
    /// Renews the deadlines of several instances, never moving one back. KEYS: the instances. ARGV, per instance in the
    /// order of KEYS: lease deadline (ms, 0 = not renewed), the number of checks, then that many check id/deadline pairs.
    /// Returns one element per instance: 1, 0 when the instance is gone, or the error that renewal alone ran into (a
    /// key holding foreign data), so one bad key neither fails nor undoes the others.
    /// </summary>
    public const string Renew = """
        local function renew(key, at, checks)
          if ARGV[at] ~= '0' then
            local cur = redis.call('HGET', key, 'lease')
            if not cur and redis.call('EXISTS', key) == 0 then return 0 end
            if not cur or tonumber(cur) < tonumber(ARGV[at]) then redis.call('HSET', key, 'lease', ARGV[at]) end
          elseif redis.call('EXISTS', key) == 0 then return 0 end
          for i = at + 2, at + checks * 2, 2 do
            local field = 'ttl:' .. ARGV[i]
            local cur = redis.call('HGET', key, field)
            if not cur or tonumber(cur) < tonumber(ARGV[i + 1]) then redis.call('HSET', key, field, ARGV[i + 1]) end
          end
          return 1
        end
        local out = {}
        local at = 1
        for k = 1, #KEYS do
          local checks = tonumber(ARGV[at + 1])
          local ok, result = pcall(renew, KEYS[k], at, checks)
          if ok then out[k] = result elseif type(result) == 'table' then out[k] = tostring(result.err) else out[k] = tostring(result) end
          at = at + 2 + checks * 2
        end
        return out
        """;

    /// <summary>The global index and every instance id with its modify index, read atomically. KEYS: index, versions.</summary>
    public const string Snapshot = """
        local t = redis.call('TYPE', KEYS[2])['ok']
        if t ~= 'zset' and t ~= 'none' then return redis.error_reply('WRONGTYPE ' .. KEYS[2] .. ' is a ' .. t .. ', not a sorted set') end
        return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')}
        """;

    /// <summary>
    /// Takes an index for a reconciliation (published as a <c>sync</c> message) and returns it with every instance id and
    /// modify index, atomically. KEYS: index, versions. ARGV: channel, node.
    /// </summary>
    public const string Claim = """
        local t = redis.call('TYPE', KEYS[2])['ok']
        if t ~= 'zset' and t ~= 'none' then return redis.error_reply('WRONGTYPE ' .. KEYS[2] .. ' is a ' .. t .. ', not a sorted set') end
        local provisional = 0
        """ + "\n" + TakeIndex + "\n" + """

        redis.call('PUBLISH', ARGV[1], '{"i":' .. string.format('%d', g) .. ',"b":' .. string.format('%d', before) .. ',"t":"sync","n":' .. cjson.encode(ARGV[2]) .. '}')
        return {g, redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')}
        """;

    /// <summary>
    /// Takes or keeps the leader lease. KEYS: leader, index. ARGV: node, lease (ms).
    /// Returns {1 when this node leads, the global index, the leader's id}.
    /// </summary>
    public const string Lead = """
        local cur = redis.call('GET', KEYS[1])
        local leads = 0
        if not cur then
          redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          leads = 1
          cur = ARGV[1]
        elseif cur == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          leads = 1
        end
        return {leads, tonumber(redis.call('GET', KEYS[2]) or '0'), cur}
        """;

    /// <summary>Gives the leader lease up when this node holds it. KEYS: leader. ARGV: node.</summary>
    public const string Resign = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;
}
