#!/bin/sh
# Installs what the real-server tests of assets/database/*.sh need, from Debian's own repositories,
# only when it is missing: PostgreSQL (server + client: initdb, pg_ctl, postgres, pg_basebackup,
# pg_dumpall, psql, pg_isready, pg_controldata), MariaDB (mariadbd, mariadb-install-db, mariadb,
# mariadb-dump, mariadb-backup, mbstream) and
# ShellCheck (the linter of the shipped scripts; not available from npm).
#
# test/harness/apt-install.sh installs them (one progress line, never the distribution's own
# services: the tests start their own instances on 127.0.0.1, on free ports, with data directories
# under a temporary directory; one installer at a time).
#
# Prints, on stdout, one line: the PostgreSQL server bin directory (/usr/lib/postgresql/<major>/bin).
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

main() {
  need=$(missing)
  if [ -n "${need% }" ]; then
    # shellcheck disable=SC2086 # a list of package names
    sh "$(dirname "$0")/../../harness/apt-install.sh" servers $need
  fi
  need=$(missing)
  if [ -n "${need% }" ]; then
    log "still missing after install: $need"
    exit 1
  fi
  pg_bindir
}

main "$@"
