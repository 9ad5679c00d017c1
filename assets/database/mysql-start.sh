#!/bin/sh
# mysql-start.sh: the command of every MySQL/MariaDB pod's database container. It runs the image's
# entrypoint ($DB_ENTRYPOINT <mysqld | mariadbd> "$@"; DB_ENTRYPOINT defaults to
# docker-entrypoint.sh) as a child, forwarding signals, and, when the data directory already exists
# (every start but the first), gives the server an --init-file (written to RUN_DIR, an emptyDir,
# mode 0600, removed once the server answers) that puts the member in its role and applies the
# Secret's passwords before the server takes connections:
#
#   ordinal 0 (the primary): whatever member the data came from (a replica's snapshot restored as
#     ordinal 0), it comes up writable: replication is stopped and forgotten (RESET SLAVE ALL /
#     RESET REPLICA ALL; master.info, relay-log.info and multi-master.info removed beforehand),
#     read_only (and for MySQL super_read_only, also its persisted value) is cleared. Then root's
#     password ('root'@'%' and 'root'@'localhost') and the replication user's are set from the
#     Secret, binary-logged so the replicas receive them.
#   ordinal n > 0 (a replica): root's password is set from the Secret without binary logging (so
#     the probes work before the primary's change arrives), and replication is configured again
#     with the Secret's replication password: CHANGE MASTER TO ... MASTER_USE_GTID=slave_pos (MariaDB)
#     or CHANGE REPLICATION SOURCE TO ... SOURCE_AUTO_POSITION=1 + super_read_only (MySQL). When
#     mysql-seed.sh has just seeded the data directory from a physical copy, its GTID position
#     ($DATA_DIR/cdk8s-seed-gtid) becomes gtid_slave_pos first (the marker is removed once the
#     server answers).
#   No data directory yet: the image's first initialisation runs unchanged (mysql-replication-init.sh).
#
# Env: POD_NAME, DB_FLAVOR (mysql | mariadb), PRIMARY_HOST, PRIMARY_PORT, REPLICATION_USER,
#      REPLICATION_PASSWORD, the root password as MYSQL_ROOT_PASSWORD / MARIADB_ROOT_PASSWORD,
#      DATA_DIR (optional, default /var/lib/mysql/data), RUN_DIR (optional, default /var/run/mysqld),
#      MYSQL_TCP_PORT (optional, default 3306: where the server answers once started), DB_ENTRYPOINT
#      (optional). Passwords never appear on a command line or in the log.
set -eu

log() { printf '%s: %s\n' "mysql-start" "$*" >&2; }
die() { log "$*"; exit 1; }

: "${POD_NAME:?POD_NAME is required}"
: "${DB_FLAVOR:?DB_FLAVOR is required (mysql or mariadb)}"
: "${REPLICATION_USER:?REPLICATION_USER is required}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is required}"
entry=${DB_ENTRYPOINT:-docker-entrypoint.sh}
data_dir=${DATA_DIR:-/var/lib/mysql/data}
run_dir=${RUN_DIR:-/var/run/mysqld}
port=${MYSQL_TCP_PORT:-3306}

ordinal=${POD_NAME##*-}
case "$ordinal" in
  '' | *[!0-9]*) die "cannot read an ordinal from POD_NAME '$POD_NAME' (expected <name>-<number>)" ;;
esac
ordinal=$(printf '%s' "$ordinal" | sed 's/^0*\([0-9]\)/\1/')
case "$REPLICATION_USER" in
  '' | *[!A-Za-z0-9_]*) die "REPLICATION_USER may hold only letters, digits and _, got '$REPLICATION_USER'" ;;
esac
case "$port" in '' | *[!0-9]*) die "MYSQL_TCP_PORT must be a number, got '$port'" ;; esac
case "$DB_FLAVOR" in
  mysql) server=mysqld; admin=mysqladmin; root_password=${MYSQL_ROOT_PASSWORD-} ;;
  mariadb)
    server=mariadbd; admin=mariadb-admin; root_password=${MARIADB_ROOT_PASSWORD-${MYSQL_ROOT_PASSWORD-}}
    command -v "$admin" >/dev/null 2>&1 || admin=mysqladmin ;;
  *) die "DB_FLAVOR must be mysql or mariadb, got '$DB_FLAVOR'" ;;
esac

# SQL string literal body: backslash and quote escaped (the init file clears NO_BACKSLASH_ESCAPES).
quote() {
  q=$(printf '%sx' "$1" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")
  printf '%s' "${q%x}"
}

init_file=''
seed_marker="$data_dir/cdk8s-seed-gtid"
if [ -d "$data_dir/mysql" ]; then
  [ -d "$run_dir" ] || die "RUN_DIR $run_dir is not a directory"
  init_file="$run_dir/cdk8s-start.sql"
  user=$REPLICATION_USER
  password=$(quote "$REPLICATION_PASSWORD")
  root_sql=''
  if [ -n "$root_password" ]; then
    root=$(quote "$root_password")
    # SET PASSWORD keeps any other authentication method of root@localhost (e.g. unix_socket).
    case "$DB_FLAVOR" in
      mariadb) local_root="SET PASSWORD FOR 'root'@'localhost' = PASSWORD('$root');" ;;
      mysql) local_root="SET PASSWORD FOR 'root'@'localhost' = '$root';" ;;
    esac
    root_sql="ALTER USER IF EXISTS 'root'@'%' IDENTIFIED BY '$root';
$local_root"
  fi
  if [ "$ordinal" -eq 0 ]; then
    for f in master.info relay-log.info multi-master.info; do
      if [ -e "$data_dir/$f" ]; then
        rm -f "$data_dir/$f"
        log "ordinal 0 is the primary: removed $f (the data came from a replica)"
      fi
    done
    case "$DB_FLAVOR" in
      mariadb) role_sql='STOP ALL SLAVES;
RESET SLAVE ALL;
SET GLOBAL read_only = OFF;' ;;
      mysql) role_sql='STOP REPLICA;
RESET REPLICA ALL;
RESET PERSIST IF EXISTS super_read_only;
RESET PERSIST IF EXISTS read_only;
SET GLOBAL super_read_only = OFF;
SET GLOBAL read_only = OFF;' ;;
    esac
    # MySQL: BACKUP_ADMIN lets a new replica's mysql-seed.sh clone the primary as this user.
    case "$DB_FLAVOR" in
      mysql) grant='REPLICATION SLAVE, BACKUP_ADMIN' ;;
      mariadb) grant='REPLICATION SLAVE' ;;
    esac
    sql="$role_sql
$root_sql
CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password';
ALTER USER '$user'@'%' IDENTIFIED BY '$password';
GRANT $grant ON *.* TO '$user'@'%';"
    log "ordinal 0: the primary (writable); applying the Secret's passwords at start"
  else
    : "${PRIMARY_HOST:?PRIMARY_HOST is required}"
    : "${PRIMARY_PORT:?PRIMARY_PORT is required}"
    case "$PRIMARY_PORT" in '' | *[!0-9]*) die "PRIMARY_PORT must be a number, got '$PRIMARY_PORT'" ;; esac
    host=$(quote "$PRIMARY_HOST")
    seed_sql=''
    if [ -f "$seed_marker" ]; then
      gtid=$(cat "$seed_marker")
      case "$gtid" in
        *[!0-9,-]*) die "$seed_marker holds '$gtid', not a GTID position" ;;
      esac
      seed_sql="SET GLOBAL gtid_slave_pos = '$gtid';"
      log "ordinal $ordinal: seeded from a physical copy at GTID position '$gtid'"
    fi
    case "$DB_FLAVOR" in
      mariadb) role_sql="STOP ALL SLAVES;
$seed_sql
CHANGE MASTER TO MASTER_HOST='$host', MASTER_PORT=$PRIMARY_PORT, MASTER_USER='$user', MASTER_PASSWORD='$password', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=10;
START SLAVE;" ;;
      mysql) role_sql="STOP REPLICA;
CHANGE REPLICATION SOURCE TO SOURCE_HOST='$host', SOURCE_PORT=$PRIMARY_PORT, SOURCE_USER='$user', SOURCE_PASSWORD='$password', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=10;
START REPLICA;
SET GLOBAL super_read_only = ON;" ;;
    esac
    sql="SET SESSION sql_log_bin = 0;
$root_sql
SET SESSION sql_log_bin = 1;
$role_sql"
    log "ordinal $ordinal: a replica of $PRIMARY_HOST:$PRIMARY_PORT; applying the Secret's passwords at start"
  fi
  (
    umask 077
    # utf8mb4: the passwords are UTF-8 bytes from a Secret (the init file's default is the server's charset).
    printf "SET NAMES utf8mb4;\nSET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '');\n%s\n" "$sql" >"$init_file.tmp"
  )
  mv "$init_file.tmp" "$init_file"
  set -- "$@" "--init-file=$init_file"
fi

"$entry" "$server" "$@" &
child=$!
# shellcheck disable=SC2317 # called from the traps
forward() { kill "-$1" "$child" 2>/dev/null || true; }
trap 'forward INT' INT
trap 'forward TERM' TERM
trap 'forward QUIT' QUIT
trap 'forward HUP' HUP

if [ -n "$init_file" ]; then
  # mysqladmin ping succeeds once the server answers, even when access is denied; the first-init
  # server of the entrypoint never listens on TCP.
  until MYSQL_PWD='' "$admin" ping -h 127.0.0.1 -P "$port" --connect-timeout=2 >/dev/null 2>&1; do
    kill -0 "$child" 2>/dev/null || break
    sleep 1
  done
  rm -f "$init_file"
  if kill -0 "$child" 2>/dev/null && [ -f "$seed_marker" ]; then rm -f "$seed_marker"; fi
fi

status=0
while :; do
  wait "$child" && status=0 || status=$?
  kill -0 "$child" 2>/dev/null || break
done
exit "$status"
