#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK and test/tools.txt; ./test.sh runs it before building. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# The npm `consul` client that test/Switchboard.Cli.Tests/Consul drives against the real agent, pinned by
# test/consul-client/package-lock.json. Installed when missing or when the lock file changed since the last install.
client=test/consul-client
if [ ! -f "$client/node_modules/consul/package.json" ] || [ "$client/package-lock.json" -nt "$client/node_modules/.package-lock.json" ]; then
  command -v npm >/dev/null 2>&1 || { echo "test/setup.sh: npm is needed for $client (apt-get install npm)" >&2; exit 2; }
  echo "test/setup.sh: npm ci in $client"
  (cd "$client" && npm ci --no-audit --no-fund --loglevel=error)
fi
