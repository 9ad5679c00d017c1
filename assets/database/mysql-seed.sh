#!/bin/sh
# mysql-seed.sh: seeds a new MySQL or MariaDB replica from a physical copy of the primary plus its
# GTID position, so that a replica added after the primary purged its binary logs still replicates.
#
#   DB_FLAVOR=mysql        init container of every MySQL pod of a replicated database. Ordinal 0, or
#                          a data directory that already exists: nothing. Otherwise it initialises a
#                          throwaway server ($DATA_DIR.boot, socket only, clone plugin loaded) and
#                          runs MySQL's CLONE INSTANCE FROM the primary as the replication user
#                          (BACKUP_ADMIN on the primary) into $DATA_DIR.tmp, retried every 5 s up to
#                          PRIMARY_WAIT_SECONDS; the copy carries the primary's GTID state
#                          (gtid_executed), so mysql-start.sh's SOURCE_AUTO_POSITION replica starts
#                          where the copy ends. Then the throwaway server stops and the copy is
#                          renamed to $DATA_DIR. The password reaches the client on standard input only.
#
#   mysql-seed.sh          (MariaDB) init container of every pod. Ordinal 0, or a data directory that
#                          already exists: nothing. Otherwise it connects (bounded by
#                          PRIMARY_WAIT_SECONDS, default 300, retried every 5 s) to the primary's seed
#                          port, proves it knows the replication password (below), unpacks the
#                          mariadb-backup stream into $DATA_DIR.tmp with mbstream, prepares it
#                          (mariadb-backup --prepare), records the copy's GTID position in
#                          cdk8s-seed-gtid and renames it to $DATA_DIR. mysql-start.sh then starts the
#                          server with gtid_slave_pos at that position and replication configured.
#                          A non-empty $DATA_DIR without a mysql/ directory is refused, never overwritten.
#   mysql-seed.sh serve    the seed-source sidecar: socat listens on SEED_PORT (default 4444) and runs
#                          `mysql-seed.sh answer` for each connection (idle connections time out).
#   mysql-seed.sh answer   one connection (stdin/stdout are the socket): sends a random nonce, reads
#                          the client's proof sha256("<nonce>:<replication password>") and, when it
#                          matches and this is ordinal 0, streams `mariadb-backup --backup
#                          --stream=mbstream` of the local server (as root, password in MYSQL_PWD).
#   mysql-seed.sh receive  the client's side of one connection (run by socat): answers the nonce
#                          and unpacks the stream into SEED_TARGET.
# The password itself never crosses the network; the copy does, unencrypted, like the replication
# stream (use a NetworkPolicy: members only reach each other).
#
# Env: POD_NAME, REPLICATION_PASSWORD, DATA_DIR (default /var/lib/mysql/data), SEED_PORT (default
#      4444), DB_FLAVOR (mariadb, the default, or mysql); the client: PRIMARY_HOST,
#      PRIMARY_WAIT_SECONDS, and for MySQL PRIMARY_PORT (default 3306) and REPLICATION_USER; the server: the root password as
#      MARIADB_ROOT_PASSWORD / MYSQL_ROOT_PASSWORD, MYSQL_HOST/MYSQL_TCP_PORT or DB_SOCKET (optional:
#      where mariadb-backup reaches the local server; default the client's defaults).
set -eu

log() { printf '%s: %s\n' "mysql-seed" "$*" >&2; }
die() { log "$*"; exit 1; }

mode=${1:-clone}
: "${POD_NAME:?POD_NAME is required}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is required}"
data_dir=${DATA_DIR:-/var/lib/mysql/data}
seed_port=${SEED_PORT:-4444}
case "$seed_port" in '' | *[!0-9]*) die "SEED_PORT must be a number, got '$seed_port'" ;; esac
ordinal=${POD_NAME##*-}
case "$ordinal" in
  '' | *[!0-9]*) die "cannot read an ordinal from POD_NAME '$POD_NAME' (expected <name>-<number>)" ;;
esac
ordinal=$(printf '%s' "$ordinal" | sed 's/^0*\([0-9]\)/\1/')

proof() { printf '%s:%s' "$1" "$REPLICATION_PASSWORD" | sha256sum | cut -d ' ' -f 1; }

case "$mode" in
  serve)
    command -v socat >/dev/null 2>&1 || die "socat is not on PATH"
    log "serving physical copies on port $seed_port (ordinal $ordinal)"
    exec socat -T 600 "TCP-LISTEN:$seed_port,reuseaddr,fork" "EXEC:$0 answer"
    ;;
  answer)
    nonce=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    printf '%s\n' "$nonce"
    IFS= read -r reply || die "the client closed the connection"
    if [ "$reply" != "$(proof "$nonce")" ]; then
      log "refused a seed request: wrong proof of the replication password"
      exit 1
    fi
    if [ "$ordinal" -ne 0 ]; then
      log "refused a seed request: ordinal $ordinal is not the primary"
      exit 1
    fi
    root_password=${MARIADB_ROOT_PASSWORD-${MYSQL_ROOT_PASSWORD-}}
    set -- --backup --stream=mbstream --user=root "--datadir=$data_dir" "--target-dir=${TMPDIR:-/tmp}"
    if [ -n "${DB_SOCKET-}" ]; then set -- "$@" "--socket=$DB_SOCKET"
    elif [ -n "${MYSQL_HOST-}" ]; then set -- "$@" "--host=$MYSQL_HOST" "--port=${MYSQL_TCP_PORT:-3306}" --protocol=tcp
    fi
    log "streaming a physical copy to a new replica"
    MYSQL_PWD=$root_password exec mariadb-backup "$@"
    ;;
  receive)
    : "${SEED_TARGET:?SEED_TARGET is required}"
    IFS= read -r nonce || die "the primary closed the connection"
    case "$nonce" in '' | *[!0-9a-f]*) die "the primary sent no nonce" ;; esac
    printf '%s\n' "$(proof "$nonce")"
    exec mbstream -x -C "$SEED_TARGET"
    ;;
  clone) ;;
  *) die "unknown mode '$mode' (none, serve, answer or receive)" ;;
esac

if [ "$ordinal" -eq 0 ]; then
  log "ordinal 0 is the primary: nothing to seed"
  exit 0
fi
if [ -d "$data_dir/mysql" ]; then
  log "$data_dir already holds a data directory: keeping it (restart)"
  exit 0
fi
if [ -d "$data_dir" ] && [ -n "$(ls -A "$data_dir")" ]; then
  die "$data_dir is not empty but has no mysql/ directory: refusing to overwrite it; inspect the claim"
fi
: "${PRIMARY_HOST:?PRIMARY_HOST is required}"
wait_seconds=${PRIMARY_WAIT_SECONDS:-300}
case "$wait_seconds" in
  '' | *[!0-9]*) die "PRIMARY_WAIT_SECONDS must be a whole number of seconds, got '$wait_seconds'" ;;
esac
case "$PRIMARY_HOST" in
  '' | *[!A-Za-z0-9.:-]*) die "PRIMARY_HOST must be a host name or address, got '$PRIMARY_HOST'" ;;
esac

# MySQL: the CLONE plugin, run by a throwaway local server, copies the primary's data.
if [ "${DB_FLAVOR:-mariadb}" = mysql ]; then
  : "${REPLICATION_USER:?REPLICATION_USER is required}"
  case "$REPLICATION_USER" in
    '' | *[!A-Za-z0-9_]*) die "REPLICATION_USER may hold only letters, digits and _, got '$REPLICATION_USER'" ;;
  esac
  primary_port=${PRIMARY_PORT:-3306}
  case "$primary_port" in '' | *[!0-9]*) die "PRIMARY_PORT must be a number, got '$primary_port'" ;; esac
  for tool in mysqld mysql mysqladmin; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is not on PATH"
  done
  boot="$data_dir.boot"
  tmp="$data_dir.tmp"
  work=$(mktemp -d "${TMPDIR:-/tmp}/mysql-clone.XXXXXX")
  sock="$work/mysqld.sock"
  boot_pid=''
  stop_boot() {
    if [ -n "$boot_pid" ] && kill -0 "$boot_pid" 2>/dev/null; then
      mysqladmin --no-defaults --socket="$sock" -uroot shutdown >/dev/null 2>&1 || kill "$boot_pid" 2>/dev/null || true
      wait "$boot_pid" 2>/dev/null || true
    fi
    boot_pid=''
  }
  # shellcheck disable=SC2317 # called from the trap
  cleanup() { stop_boot; rm -rf "$boot" "$tmp" "$work"; }
  trap cleanup EXIT
  trap 'exit 130' INT TERM HUP
  rm -rf "$boot" "$tmp"

  log "initialising a throwaway server to clone into"
  if ! mysqld --initialize-insecure "--datadir=$boot" "--log-error=$work/boot.err" >/dev/null 2>&1; then
    tail -n 20 "$work/boot.err" >&2 || true
    die "mysqld --initialize-insecure failed"
  fi
  mysqld "--datadir=$boot" "--socket=$sock" "--pid-file=$work/mysqld.pid" "--log-error=$work/boot.err" \
    --skip-networking --mysqlx=OFF --skip-log-bin --plugin-load-add=mysql_clone.so &
  boot_pid=$!
  started=0
  for _ in $(seq 1 120); do
    if mysqladmin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1; then started=1; break; fi
    kill -0 "$boot_pid" 2>/dev/null || break
    sleep 1
  done
  if [ "$started" -ne 1 ]; then
    tail -n 20 "$work/boot.err" >&2 || true
    die "the throwaway server did not start"
  fi

  host=$PRIMARY_HOST
  password=$(printf '%sx' "$REPLICATION_PASSWORD" | sed -e 's/\\/\\\\/g' -e "s/'/''/g")
  password=${password%x}
  deadline=$(( $(date +%s) + wait_seconds ))
  attempt=0
  while :; do
    attempt=$((attempt + 1))
    rm -rf "$tmp"
    log "cloning $host:$primary_port into $tmp (attempt $attempt)"
    # The statement, with the password, goes to the client on standard input, never on a command line.
    if printf "SET NAMES utf8mb4;\nSET GLOBAL clone_valid_donor_list = '%s:%s';\nCLONE INSTANCE FROM '%s'@'%s':%s IDENTIFIED BY '%s' DATA DIRECTORY = '%s';\n" \
        "$host" "$primary_port" "$REPLICATION_USER" "$host" "$primary_port" "$password" "$tmp" |
        mysql --no-defaults --socket="$sock" -uroot && [ -d "$tmp/mysql" ]; then
      break
    fi
    log "cloning failed (attempt $attempt)"
    if [ "$(date +%s)" -ge "$deadline" ]; then
      die "gave up after ${wait_seconds}s: could not clone $host:$primary_port"
    fi
    sleep 5
  done
  stop_boot
  rm -rf "$boot"
  chmod 750 "$tmp"
  if [ -d "$data_dir" ]; then rmdir "$data_dir"; fi
  mv "$tmp" "$data_dir"
  rm -rf "$work"
  trap - EXIT
  log "seeded $data_dir from a clone of the primary (its GTID state came with it)"
  exit 0
fi

for tool in socat mbstream mariadb-backup sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not on PATH"
done

tmp="$data_dir.tmp"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

deadline=$(( $(date +%s) + wait_seconds ))
attempt=0
while :; do
  attempt=$((attempt + 1))
  rm -rf "$tmp"
  mkdir -p "$tmp"
  log "seeding from $PRIMARY_HOST:$seed_port (attempt $attempt)"
  if SEED_TARGET=$tmp socat -T 600 "TCP:$PRIMARY_HOST:$seed_port,connect-timeout=10" "EXEC:$0 receive" &&
      [ -f "$tmp/xtrabackup_checkpoints" ] &&
      mariadb-backup --prepare "--target-dir=$tmp" >"$tmp.prepare.log" 2>&1; then
    break
  fi
  if [ -f "$tmp.prepare.log" ]; then tail -n 5 "$tmp.prepare.log" >&2; fi
  log "seeding failed (attempt $attempt)"
  if [ "$(date +%s)" -ge "$deadline" ]; then
    rm -f "$tmp.prepare.log"
    die "gave up after ${wait_seconds}s: could not seed from $PRIMARY_HOST:$seed_port"
  fi
  sleep 5
done
rm -f "$tmp.prepare.log"

# The copy's binary log position: <file> <position> <GTID list> (file name by version).
gtid=''
for info in mariadb_backup_binlog_info xtrabackup_binlog_info; do
  if [ -f "$tmp/$info" ]; then
    gtid=$(awk '{ print $3 }' "$tmp/$info")
    break
  fi
done
case "$gtid" in
  *[!0-9,-]*) die "the copy's GTID position '$gtid' is not a GTID list" ;;
esac
printf '%s\n' "$gtid" >"$tmp/cdk8s-seed-gtid"
chmod 750 "$tmp"
if [ -d "$data_dir" ]; then rmdir "$data_dir"; fi
mv "$tmp" "$data_dir"
trap - EXIT
log "seeded $data_dir from a physical copy of the primary at GTID position '$gtid'"
