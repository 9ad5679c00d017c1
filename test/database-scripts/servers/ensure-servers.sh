#!/bin/sh
# Installs what the real-server tests of assets/database/*.sh need, from Debian's own repositories,
# only when it is missing: PostgreSQL (server + client: initdb, pg_ctl, postgres, pg_basebackup,
# pg_dumpall, psql, pg_isready, pg_controldata), MariaDB (mariadbd, mariadb-install-db, mariadb,
# mariadb-dump, mariadb-backup, mbstream) and
# ShellCheck (the linter of the shipped scripts; not available from npm).
#
# It never starts the distribution's own services: the tests start their own instances on
# 127.0.0.1, on free ports, with data directories under a temporary directory. While apt runs, a
# /usr/sbin/policy-rc.d that answers 101 ("action forbidden") is put in place if none exists, so
# the packages' maintainer scripts do not start postgresql.service / mariadb.service.
#
# Prints, on stdout, one line: the PostgreSQL server bin directory (/usr/lib/postgresql/<major>/bin).
# Needs root to install; concurrent callers are serialized with flock.
set -eu

log() { printf 'ensure-servers: %s\n' "$*" >&2; }

pg_bindir() {
  # Newest installed major that has a server binary.
  # shellcheck disable=SC2012 # fixed, version-numbered paths
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr); do
    if [ -x "$d/postgres" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_basebackup" ]; then
      printf '%s\n' "$d"
      return 0
    fi
  done
  return 1
}

missing() {
  need=''
  if ! pg_bindir >/dev/null || ! command -v psql >/dev/null 2>&1; then
    need="$need postgresql postgresql-client"
  fi
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    need="$need mariadb-server"
  fi
  if ! command -v mariadb-install-db >/dev/null 2>&1; then
    need="$need mariadb-server"
  fi
  if ! command -v mariadb >/dev/null 2>&1 || ! command -v mariadb-dump >/dev/null 2>&1; then
    need="$need mariadb-client"
  fi
  # mariadb-backup and mbstream seed new replicas from a physical copy (mysql-replica-seed.sh).
  if ! command -v mariadb-backup >/dev/null 2>&1 || ! command -v mbstream >/dev/null 2>&1; then
    need="$need mariadb-backup"
  fi
  # socat carries the seed stream between the "pods" (the MariaDB image ships it too).
  if ! command -v socat >/dev/null 2>&1; then
    need="$need socat"
  fi
  # ShellCheck lints the scripts in test/database-scripts/shellcheck.test.ts (npm has no shellcheck).
  if ! command -v shellcheck >/dev/null 2>&1; then
    need="$need shellcheck"
  fi
  for tool in gzip runuser dash flock; do
    command -v "$tool" >/dev/null 2>&1 || { log "required tool '$tool' is missing"; exit 1; }
  done
  # shellcheck disable=SC2086
  printf '%s\n' $need | sort -u | tr '\n' ' '
}

install_packages() {
  if [ "$(id -u)" != 0 ]; then
    log "missing packages ($*) and not root: install them or run the tests as root"
    exit 1
  fi
  created_policy=''
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# temporary, from cdk8s-stateful ensure-servers.sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    created_policy=yes
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    trap 'exit 130' INT TERM HUP
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_opts='-y --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold'
  rc=0
  # One progress line; apt's own output goes to a log, shown only when it fails.
  apt_log=$(mktemp /tmp/cdk8s-stateful-apt.XXXXXX)
  log "installing $* from Debian (first run on this machine, about a minute; log: $apt_log)"
  # shellcheck disable=SC2086
  if ! apt-get install -q $apt_opts "$@" >"$apt_log" 2>&1; then
    log "apt-get install failed; running apt-get update and retrying"
    # shellcheck disable=SC2086
    { apt-get -q -o DPkg::Lock::Timeout=300 update && apt-get install -q $apt_opts "$@"; } >>"$apt_log" 2>&1 || rc=$?
  fi
  if [ "$rc" != 0 ]; then tail -n 40 "$apt_log" >&2; fi
  if [ -n "$created_policy" ]; then
    rm -f /usr/sbin/policy-rc.d
    trap - EXIT INT TERM HUP
  fi
  if [ "$rc" != 0 ]; then
    log "apt-get install $* failed (exit $rc)"
    exit "$rc"
  fi
}

main() {
  need=$(missing)
  if [ -n "${need% }" ]; then
    exec 9>/tmp/cdk8s-stateful-ensure-servers.lock
    flock -w 900 9 || { log 'timed out waiting for another installer'; exit 1; }
    need=$(missing)   # another caller may have installed them meanwhile
    if [ -n "${need% }" ]; then
      # shellcheck disable=SC2086
      install_packages $need
    fi
  fi
  need=$(missing)
  if [ -n "${need% }" ]; then
    log "still missing after install: $need"
    exit 1
  fi
  pg_bindir
}

main "$@"
