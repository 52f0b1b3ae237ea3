#!/usr/bin/env python3
"""Writes, as Redis protocol on stdout, the keys an agent on Redis (`--store redis`) holds after N registrations of the
load harness's shape (services of 10 instances, 1 h leases): pipe it into `redis-cli --pipe` to give a replica a
catalog of a million instances in seconds instead of a fill through HTTP. Same keys and fields as RedisScripts.Put
writes: {ns}:instance:<id> (record, index, created, service, at, lease), {ns}:versions, {ns}:services, {ns}:index.

usage: redis_seed.py N [NAMESPACE] | redis-cli -p PORT --pipe
"""
import sys, time

n = int(sys.argv[1])
ns = sys.argv[2] if len(sys.argv) > 2 else "switchboard"
prefix = "{%s}:" % ns
now = int(time.time() * 1000)
out = sys.stdout.buffer

def cmd(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(parts)

buf = []
for i in range(n):
    iid, svc = "scale-%d" % i, "scale-%d" % (i // 10)
    host = "10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, i & 255)
    record = ('{"instance_id":"%s","service_name":"%s","host":"%s","port":8080,"protocol":"http","path":"",'
              '"base_url":"http://%s:8080","tags":["api","v1"],"metadata":{"zone":"a"},"version":"1.0.0","weight":1,'
              '"zone":"","status":"passing","ttl":"1h0m0s","checks":[],"output":"",'
              '"registered_at":"2026-12-05T01:00:00.0000000+00:00","create_index":%d,"modify_index":%d}') % (iid, svc, host, host, i + 1, i + 1)
    buf.append(cmd("HSET", prefix + "instance:" + iid, "record", record, "index", i + 1, "created", i + 1,
                   "service", svc, "at", now, "lease", now + 3600_000))
    buf.append(cmd("ZADD", prefix + "versions", i + 1, iid))
    if i % 10 == 9 or i == n - 1:
        buf.append(cmd("HSET", prefix + "services", svc, i + 1))
    if len(buf) >= 30000:
        out.write(b"".join(buf)); buf.clear()
buf.append(cmd("SET", prefix + "index", n))
out.write(b"".join(buf))
