#!/bin/sh
# Installs what the real-server tests of assets/redis/*.sh need, from Debian's own repositories,
# only when it is missing: redis-server, redis-sentinel, redis-cli (redis-tools) and shellcheck,
# with test/harness/apt-install.sh (one progress line, never the distribution's own service).
set -eu

log() { printf 'ensure-redis: %s\n' "$*" >&2; }

missing() {
  need=''
  command -v redis-server >/dev/null 2>&1 || need="$need redis-server"
  command -v redis-sentinel >/dev/null 2>&1 || need="$need redis-sentinel"
  command -v redis-cli >/dev/null 2>&1 || need="$need redis-tools"
  # ShellCheck lints the Redis scripts in redis-sentinel.test.ts, which may run before ensure-servers.sh.
  command -v shellcheck >/dev/null 2>&1 || need="$need shellcheck"
  printf '%s' "$need"
}

need=$(missing)
if [ -n "$need" ]; then
  # shellcheck disable=SC2086 # a list of package names
  sh "$(dirname "$0")/../../harness/apt-install.sh" redis $need
fi
need=$(missing)
if [ -n "$need" ]; then
  log "still missing after install:$need"
  exit 1
fi
command -v redis-server
