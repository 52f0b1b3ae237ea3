#!/usr/bin/env bash
# Runs the whole Switchboard test suite: installs what the tests need, builds with warnings as errors,
# runs every test project, and ends with one line "N passed, N failed, N skipped".
# Usage: ./test.sh [extra dotnet test arguments, e.g. --filter Category!=Slow]
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
need_pkg() { # need_pkg <command> <debian package>
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "test.sh: installing $2 (needed for $1)"
  if [ "$apt_updated" -eq 0 ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$2" >/dev/null || { echo "test.sh: could not install $2; install it and run again" >&2; exit 2; }
}

for spec in ${SWITCHBOARD_TEST_TOOLS:-}; do need_pkg "${spec%%:*}" "${spec#*:}"; done
if [ -f test/tools.txt ]; then
  while read -r cmd pkg; do [ -n "${cmd:-}" ] && [ "${cmd:0:1}" != "#" ] && need_pkg "$cmd" "$pkg"; done < test/tools.txt
fi
if [ -x test/setup.sh ]; then test/setup.sh || exit 2; fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build Switchboard.slnx -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; echo "test.sh: build failed" >&2; exit 1; }

log=$(mktemp)
# A test that hangs fails by name after 10 minutes instead of running CI into its time limit.
dotnet test Switchboard.slnx -c Release --no-build -nologo --blame-hang-timeout 10m --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# A test host stopped for hanging leaves its xunit process (and the servers it started) behind: stop them.
for pid in $(pgrep -f "^$PWD/test/[^ ]*/bin/Release/[^ ]*Tests @@" || true); do
  pkill -KILL -P "$pid" 2>/dev/null; kill -KILL "$pid" 2>/dev/null
done

totals=$(grep -E '^(Passed|Failed)!' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\1 \2 \3/' \
  | awk '{f+=$1; p+=$2; s+=$3} END {printf "%d %d %d", p, f, s}')
read -r passed failed skipped <<<"${totals:-0 0 0}"
rm -f "$log"
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ] || [ "$status" -ne 0 ]; then exit 1; fi
