#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK and test/tools.txt; ./test.sh runs it before building. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

# The npm clients that test/Switchboard.Cli.Tests drives against the real agent, each pinned by its package-lock.json:
# `consul` (test/consul-client, Consul/ConsulClientTests) and `eureka-js-client` (test/eureka-client,
# Eureka/EurekaClientTests). Installed when missing or when the lock file changed since the last install.
install() { # install <folder> <package>
  local client=$1 package=$2
  if [ ! -f "$client/node_modules/$package/package.json" ] || [ "$client/package-lock.json" -nt "$client/node_modules/.package-lock.json" ]; then
    command -v npm >/dev/null 2>&1 || { echo "test/setup.sh: npm is needed for $client (apt-get install npm)" >&2; exit 2; }
    echo "test/setup.sh: npm ci in $client"
    (cd "$client" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
install test/consul-client consul
install test/eureka-client eureka-js-client
