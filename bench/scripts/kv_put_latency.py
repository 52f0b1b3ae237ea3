# Median latency of sequential key/value PUTs against one agent (keep-alive, loopback), then GETs of the same keys.
# usage: python3 kv_put_latency.py PORT N
import http.client, statistics, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
def timed(method, path, body=None):
    t = time.perf_counter(); c.request(method, path, body); r = c.getresponse(); r.read(); assert r.status == 200, r.status
    return (time.perf_counter() - t) * 1000
for i in range(50): timed("PUT", f"/v1/kv/warm/{i}", b"x" * 256)
puts = [timed("PUT", f"/v1/kv/bench/{i}", b"x" * 256) for i in range(n)]
gets = [timed("GET", f"/v1/kv/bench/{i}") for i in range(n)]
print(f"put median {statistics.median(puts):.3f} ms p99 {sorted(puts)[int(n*0.99)]:.3f} ms; get median {statistics.median(gets):.3f} ms")
