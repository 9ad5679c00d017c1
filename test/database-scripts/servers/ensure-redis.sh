#!/bin/sh
# Installs what the real-server tests of assets/redis/*.sh need, from Debian's own repositories,
# only when it is missing: redis-server, redis-sentinel, redis-cli (redis-tools) and shellcheck. Like
# ensure-servers.sh it never starts the distribution's own service (a policy-rc.d answering 101
# while apt runs) and prints one progress line; apt's output goes to
# ~/.cache/cdk8s-stateful/redis/apt.log. Needs root to install; callers are serialized with flock.
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
  if [ "$(id -u)" != 0 ]; then
    log "missing packages ($need) and not root: install them or run the tests as root"
    exit 1
  fi
  exec 9>/tmp/cdk8s-stateful-ensure-servers.lock
  flock -w 900 9 || { log 'timed out waiting for another installer'; exit 1; }
  need=$(missing)
  if [ -n "$need" ]; then
    cache="${HOME:-/root}/.cache/cdk8s-stateful/redis"
    mkdir -p "$cache"
    apt_log="$cache/apt.log"
    created_policy=''
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\n# temporary, from cdk8s-stateful ensure-redis.sh\nexit 101\n' >/usr/sbin/policy-rc.d
      chmod 755 /usr/sbin/policy-rc.d
      created_policy=yes
      trap 'rm -f /usr/sbin/policy-rc.d' EXIT
      trap 'exit 130' INT TERM HUP
    fi
    log "installing$need from Debian (first run on this machine; log: $apt_log)"
    export DEBIAN_FRONTEND=noninteractive
    rc=0
    # shellcheck disable=SC2086 # a list of package names
    apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 $need >"$apt_log" 2>&1 \
      || { apt-get -q update && apt-get install -y -q --no-install-recommends $need; } >>"$apt_log" 2>&1 || rc=$?
    if [ -n "$created_policy" ]; then
      rm -f /usr/sbin/policy-rc.d
      trap - EXIT INT TERM HUP
    fi
    if [ "$rc" != 0 ]; then
      tail -n 40 "$apt_log" >&2
      log "apt-get install$need failed (exit $rc)"
      exit "$rc"
    fi
  fi
fi
need=$(missing)
if [ -n "$need" ]; then
  log "still missing after install:$need"
  exit 1
fi
command -v redis-server
