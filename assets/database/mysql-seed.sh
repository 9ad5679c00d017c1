#!/bin/sh
# mysql-seed.sh: seeds a new MariaDB replica from a physical copy of the primary plus its GTID
# position, so that a replica added after the primary purged its binary logs still replicates.
#
#   mysql-seed.sh          init container of every MariaDB pod. Ordinal 0, or a data directory that
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
#      4444); the client: PRIMARY_HOST, PRIMARY_WAIT_SECONDS; the server: the root password as
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
