#!/bin/sh
# mysql-replication-init.sh: run once by the official mysql/mariadb image's entrypoint, from
# /docker-entrypoint-initdb.d/, at the first initialisation of a pod's data directory.
#
#   ordinal 0: creates (or updates) '$REPLICATION_USER'@'%' with its password and the
#              REPLICATION SLAVE grant.
#   ordinal n: points the server at the primary with GTID auto-positioning and starts replicating:
#     mysql:   CHANGE REPLICATION SOURCE TO SOURCE_HOST, SOURCE_PORT, SOURCE_USER, SOURCE_PASSWORD,
#              SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1; START REPLICA;
#              SET PERSIST super_read_only=ON (see mysql-server-id.sh: not in the config file, so
#              the first-init temporary server can still write). Needs MySQL >= 8.0.23.
#     mariadb: CHANGE MASTER TO MASTER_HOST, MASTER_PORT, MASTER_USER, MASTER_PASSWORD,
#              MASTER_USE_GTID=slave_pos; START SLAVE;
#   On a replica it first drops, without binary logging, the application user the entrypoint just
#   created locally (MYSQL_USER / MARIADB_USER): the primary's binary log creates it again, and
#   replaying that CREATE USER over a local copy would stop replication (error 1396).
#   Running it again is harmless (CREATE USER IF NOT EXISTS; replication is stopped before CHANGE;
#   the application user is dropped only while replication was never configured).
#   Replicas start from the primary's binary log from its beginning (GTID auto-positioning): a
#   primary whose binary logs were purged cannot seed a new replica this way. That is why a MariaDB
#   replica is seeded by mysql-seed.sh (a physical copy plus its GTID position) and never runs this
#   script; a MySQL replica still does. Later starts (and password rotation) are mysql-start.sh's.
#
# Env: POD_NAME, DB_FLAVOR (mysql | mariadb), PRIMARY_HOST, PRIMARY_PORT, REPLICATION_USER
#      (letters, digits, _), REPLICATION_PASSWORD, and the root password as MYSQL_ROOT_PASSWORD or
#      MARIADB_ROOT_PASSWORD (all from Secrets), the application user MYSQL_USER / MARIADB_USER
#      (optional, as given to the image). The client (mariadb, else mysql) connects as root
#      with the password in MYSQL_PWD, never on the command line; where it connects follows the
#      client's defaults (the entrypoint's socket) or MYSQL_HOST/MYSQL_TCP_PORT (the MariaDB client
#      ignores MYSQL_UNIX_PORT). Statements travel on stdin, in utf8mb4 (passwords are UTF-8
#      bytes from a Secret); they are not echoed.
set -eu

log() { printf '%s: %s\n' "mysql-replication-init" "$*" >&2; }
die() { log "$*"; exit 1; }

: "${POD_NAME:?POD_NAME is required}"
: "${DB_FLAVOR:?DB_FLAVOR is required (mysql or mariadb)}"
: "${REPLICATION_USER:?REPLICATION_USER is required}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is required}"

ordinal=${POD_NAME##*-}
case "$ordinal" in
  '' | *[!0-9]*) die "cannot read an ordinal from POD_NAME '$POD_NAME' (expected <name>-<number>)" ;;
esac
ordinal=$(printf '%s' "$ordinal" | sed 's/^0*\([0-9]\)/\1/')
case "$REPLICATION_USER" in
  '' | *[!A-Za-z0-9_]*) die "REPLICATION_USER may hold only letters, digits and _, got '$REPLICATION_USER'" ;;
esac
if [ "${#REPLICATION_USER}" -gt 32 ]; then die "REPLICATION_USER is longer than 32 characters"; fi

case "$DB_FLAVOR" in
  mysql)
    root_password=${MYSQL_ROOT_PASSWORD-}
    client=mysql ;;
  mariadb)
    root_password=${MARIADB_ROOT_PASSWORD-${MYSQL_ROOT_PASSWORD-}}
    if command -v mariadb >/dev/null 2>&1; then client=mariadb; else client=mysql; fi ;;
  *) die "DB_FLAVOR must be mysql or mariadb, got '$DB_FLAVOR'" ;;
esac
command -v "$client" >/dev/null 2>&1 || die "the $client client is not on PATH"

# SQL string literal body: backslash and quote escaped (the session clears NO_BACKSLASH_ESCAPES).
# The trailing x keeps trailing newlines through the command substitution.
quote() {
  q=$(printf '%sx' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")
  printf '%s' "${q%x}"
}
password=$(quote "$REPLICATION_PASSWORD")
user=$REPLICATION_USER

run_sql() {
  if [ -n "$root_password" ]; then
    MYSQL_PWD=$root_password "$client" --user=root --batch --silent --default-character-set=utf8mb4
  else
    "$client" --user=root --batch --silent --default-character-set=utf8mb4
  fi
}

preamble="SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');"

if [ "$ordinal" -eq 0 ]; then
  # MySQL: BACKUP_ADMIN lets a new replica's mysql-seed.sh clone the primary as this user.
  case "$DB_FLAVOR" in
    mysql) grant='REPLICATION SLAVE, BACKUP_ADMIN' ;;
    *) grant='REPLICATION SLAVE' ;;
  esac
  log "ordinal 0: creating the replication user '$user'@'%'"
  run_sql <<SQL
$preamble
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password';
ALTER USER '$user'@'%' IDENTIFIED BY '$password';
GRANT $grant ON *.* TO '$user'@'%';
FLUSH PRIVILEGES;
SQL
  log "done"
  exit 0
fi

: "${PRIMARY_HOST:?PRIMARY_HOST is required}"
: "${PRIMARY_PORT:?PRIMARY_PORT is required}"
case "$PRIMARY_PORT" in
  '' | *[!0-9]*) die "PRIMARY_PORT must be a number, got '$PRIMARY_PORT'" ;;
esac
host=$(quote "$PRIMARY_HOST")

# The image's entrypoint has just created the application user (MYSQL_USER / MARIADB_USER) on this
# fresh replica too, and the primary's binary log holds the same CREATE USER: replaying it would
# stop the replica with error 1396. Drop the local copy, unlogged; replication brings it back.
# (CREATE DATABASE IF NOT EXISTS replays harmlessly.) Only before replication was ever configured:
# on a re-run the user is the replicated one.
case "$DB_FLAVOR" in
  mysql) app_user=${MYSQL_USER-} ;;
  mariadb) app_user=${MARIADB_USER-${MYSQL_USER-}} ;;
esac
case "$DB_FLAVOR" in
  mysql) show='SHOW REPLICA STATUS;' ;;
  mariadb) show='SHOW SLAVE STATUS;' ;;
esac
configured=$(printf '%s\n' "$show" | run_sql) || die "cannot query the replication status"
drop_app_user=''
if [ -n "$app_user" ] && [ -z "$configured" ]; then
  log "dropping the local copy of '$app_user'@'%' (it replicates from the primary)"
  drop_app_user="SET SESSION sql_log_bin = 0;
DROP USER IF EXISTS '$(quote "$app_user")'@'%';
SET SESSION sql_log_bin = 1;"
fi

# Idempotent re-runs: stop replication first. Best effort, in its own session: at first init
# there is nothing to stop, and a server may answer that with an error rather than a warning.
case "$DB_FLAVOR" in
  mysql) stop='STOP REPLICA;' ;;
  mariadb) stop='STOP SLAVE;' ;;
esac
printf '%s\n' "$stop" | run_sql 2>/dev/null || log "nothing to stop before configuring replication"

log "ordinal $ordinal: replicating from $PRIMARY_HOST:$PRIMARY_PORT as '$user' (GTID)"
case "$DB_FLAVOR" in
  mysql)
    run_sql <<SQL
$preamble
$drop_app_user
CHANGE REPLICATION SOURCE TO SOURCE_HOST='$host', SOURCE_PORT=$PRIMARY_PORT, SOURCE_USER='$user', SOURCE_PASSWORD='$password', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=10;
START REPLICA;
SET PERSIST super_read_only = ON;
SQL
    ;;
  mariadb)
    run_sql <<SQL
$preamble
$drop_app_user
CHANGE MASTER TO MASTER_HOST='$host', MASTER_PORT=$PRIMARY_PORT, MASTER_USER='$user', MASTER_PASSWORD='$password', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=10;
START SLAVE;
SQL
    ;;
esac
log "done"
