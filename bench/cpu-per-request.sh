#!/usr/bin/env bash
# CPU time per request of two builds of the agent, alternated: a comparison that survives a loaded machine better than
# requests/s. Each agent runs with its defaults (--dev), holds one service of 10 instances, and is warmed up; each round
# runs `wrk -t2 -c64 -d4s` on PATH against one, then the other, and prints the agent's CPU microseconds per request
# (utime+stime clock ticks from /proc/<pid>/stat over the requests wrk counted) and wrk's requests/s.
# Usage: [METHOD=PUT] bench/cpu-per-request.sh BEFORE_BIN_DIR AFTER_BIN_DIR PATH [ROUNDS]
#   METHOD (default GET) is sent without a body, as wrk and `curl -X PUT` do: heartbeats of one of the 10 instances with
#   METHOD=PUT bench/cpu-per-request.sh /tmp/before src/Switchboard.Cli/bin/Release/net10.0 /service-discovery/instances/api-1/heartbeat 5
#   e.g. bench/cpu-per-request.sh /tmp/before src/Switchboard.Cli/bin/Release/net10.0 '/v1/health/service/api?passing' 6
#   REDIS=127.0.0.1:PORT puts both agents on that redis-server (namespaces cpu-before and cpu-after) instead of --dev:
#   REDIS=127.0.0.1:6390 METHOD=PUT bench/cpu-per-request.sh ... /service-discovery/instances/api-1/heartbeat 5
set -euo pipefail
before=$1 after=$2 path=$3 rounds=${4:-6}
port_a=$((20000 + RANDOM % 20000)); port_b=$((port_a + 1))
script=()
if [ "${METHOD:-GET}" != GET ]; then
  lua=$(mktemp --suffix .lua); echo "wrk.method = \"$METHOD\"" > "$lua"; script=(-s "$lua")
fi
store() { if [ -n "${REDIS:-}" ]; then echo "--store redis --redis $REDIS --redis-namespace cpu-$1"; else echo --dev; fi; }
# shellcheck disable=SC2046 # the store options are words
"$before/switchboard" agent $(store before) --port "$port_a" --dns-port 0 >/dev/null 2>&1 & pid_a=$!
# shellcheck disable=SC2046
"$after/switchboard" agent $(store after) --port "$port_b" --dns-port 0 >/dev/null 2>&1 & pid_b=$!
trap 'kill $pid_a $pid_b 2>/dev/null; rm -f ${lua:-}' EXIT
for port in $port_a $port_b; do
  for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 0.1; done
  for i in $(seq 1 10); do
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/service-discovery/register" -H 'content-type: application/json' \
      -d "{\"service_name\":\"api\",\"instance_id\":\"api-$i\",\"host\":\"127.0.0.1\",\"port\":$((9000 + i)),\"tags\":[\"v1\"]}"
  done
  wrk -t2 -c64 -d2s "${script[@]}" "http://127.0.0.1:$port$path" >/dev/null
done
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick_us=$((1000000 / $(getconf CLK_TCK)))
for round in $(seq 1 "$rounds"); do
  for side in before after; do
    if [ $side = before ]; then pid=$pid_a port=$port_a; else pid=$pid_b port=$port_b; fi
    t0=$(ticks $pid); out=$(wrk -t2 -c64 -d4s "${script[@]}" "http://127.0.0.1:$port$path"); t1=$(ticks $pid)
    n=$(awk '/requests in/{print $1}' <<<"$out"); rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
    echo "round $round $side cpu_us_per_request=$(echo "scale=2; ($t1 - $t0) * $tick_us / $n" | bc) requests_per_s=$rps"
  done
done
