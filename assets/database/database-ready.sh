#!/bin/sh
# database-ready.sh: the readiness probe of every PostgreSQL, MySQL and MariaDB pod.
#
#   ordinal 0 (the primary): ready when the server answers (pg_isready / mysqladmin ping).
#   ordinal n > 0 (a replica): ready only while it replicates, so that the read Service never
#     serves a replica that lost its stream:
#       postgres: in recovery, pg_stat_wal_receiver.status = 'streaming', and the replay lag at
#                 most MAX_REPLICA_LAG_SECONDS (0 when everything received is replayed, else the
#                 age of the last replayed transaction);
#       mariadb:  SHOW SLAVE STATUS: Slave_IO_Running = Yes, Slave_SQL_Running = Yes and
#                 Seconds_Behind_Master at most MAX_REPLICA_LAG_SECONDS;
#       mysql:    SHOW REPLICA STATUS: Replica_IO_Running, Replica_SQL_Running, Seconds_Behind_Source.
#     The lag is measured on the replica (what it received against what it applied): a replica
#     whose connection silently stalls is caught by the engine's own receive timeout
#     (wal_receiver_timeout, slave_net_timeout), after which the stream is no longer running.
# Prints one line saying why it is not ready (on stderr) and exits 1; exits 0 when ready.
#
# Env: POD_NAME, DB_ENGINE (postgres | mysql | mariadb), DB_PORT, MAX_REPLICA_LAG_SECONDS
#      (optional, default 30); postgres: POSTGRES_USER (default postgres), libpq's environment
#      (the local socket by default); mysql/mariadb: the root password as MYSQL_ROOT_PASSWORD /
#      MARIADB_ROOT_PASSWORD (passed as MYSQL_PWD only).
set -eu

log() { printf '%s: %s\n' "database-ready" "$*" >&2; }
not_ready() { log "not ready: $*"; exit 1; }
die() { log "$*"; exit 2; }

: "${POD_NAME:?POD_NAME is required}"
: "${DB_ENGINE:?DB_ENGINE is required (postgres, mysql or mariadb)}"
: "${DB_PORT:?DB_PORT is required}"
max_lag=${MAX_REPLICA_LAG_SECONDS:-30}
case "$DB_PORT" in '' | *[!0-9]*) die "DB_PORT must be a number, got '$DB_PORT'" ;; esac
case "$max_lag" in '' | *[!0-9]*) die "MAX_REPLICA_LAG_SECONDS must be a whole number of seconds, got '$max_lag'" ;; esac
ordinal=${POD_NAME##*-}
case "$ordinal" in
  '' | *[!0-9]*) die "cannot read an ordinal from POD_NAME '$POD_NAME' (expected <name>-<number>)" ;;
esac
ordinal=$(printf '%s' "$ordinal" | sed 's/^0*\([0-9]\)/\1/')

lag_ok() {
  case "$1" in '' | *[!0-9]*) not_ready "unknown replication lag '$1'" ;; esac
  [ "$1" -le "$max_lag" ] || not_ready "replication lag ${1}s exceeds ${max_lag}s"
}

case "$DB_ENGINE" in
  postgres)
    user=${POSTGRES_USER:-postgres}
    if [ "$ordinal" -eq 0 ]; then
      exec pg_isready -q -U "$user" -d postgres -h 127.0.0.1 -p "$DB_PORT" -t 4
    fi
    state=$(PGCONNECT_TIMEOUT=4 psql -X -q -tA -v ON_ERROR_STOP=1 --no-password -U "$user" -d postgres -p "$DB_PORT" -c "
      SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 'not-standby'
        WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN
          'not-streaming ' || COALESCE((SELECT status FROM pg_stat_wal_receiver), 'no WAL receiver')
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 'lag 0'
        ELSE 'lag ' || COALESCE(floor(extract(epoch FROM now() - pg_last_xact_replay_timestamp()))::bigint, 0)
      END" 2>&1) || not_ready "the server does not answer: $state"
    case "$state" in
      'lag '*) lag_ok "${state#lag }" ;;
      not-standby) not_ready "ordinal $ordinal is not a standby (promoted by hand?): it must not serve reads as a replica" ;;
      *) not_ready "the standby does not stream from the primary ($state)" ;;
    esac
    ;;
  mysql | mariadb)
    if [ "$DB_ENGINE" = mysql ]; then
      password=${MYSQL_ROOT_PASSWORD-}
      admin=mysqladmin client=mysql show='SHOW REPLICA STATUS\G' io=Replica_IO_Running sqlt=Replica_SQL_Running behind=Seconds_Behind_Source
    else
      password=${MARIADB_ROOT_PASSWORD-${MYSQL_ROOT_PASSWORD-}}
      admin=mariadb-admin client=mariadb show='SHOW SLAVE STATUS\G' io=Slave_IO_Running sqlt=Slave_SQL_Running behind=Seconds_Behind_Master
      command -v "$client" >/dev/null 2>&1 || { admin=mysqladmin; client=mysql; }
    fi
    if [ "$ordinal" -eq 0 ]; then
      MYSQL_PWD=$password exec "$admin" ping -uroot -h 127.0.0.1 -P "$DB_PORT" --connect-timeout=4 --silent
    fi
    status=$(printf '%s\n' "$show" | MYSQL_PWD=$password "$client" -uroot -h 127.0.0.1 -P "$DB_PORT" --connect-timeout=4 2>&1) ||
      not_ready "the server does not answer: $status"
    field() { printf '%s\n' "$status" | sed -n "s/^ *$1: *//p" | head -n 1; }
    [ -n "$status" ] || not_ready "replication is not configured on ordinal $ordinal"
    [ "$(field "$io")" = Yes ] || not_ready "$io is '$(field "$io")' ($(field Last_IO_Error))"
    [ "$(field "$sqlt")" = Yes ] || not_ready "$sqlt is '$(field "$sqlt")' ($(field Last_SQL_Error))"
    lag_ok "$(field "$behind")"
    ;;
  *) die "DB_ENGINE must be postgres, mysql or mariadb, got '$DB_ENGINE'" ;;
esac
exit 0
