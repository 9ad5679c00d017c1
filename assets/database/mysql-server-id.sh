#!/bin/sh
# mysql-server-id.sh: init container of every MySQL/MariaDB pod of a StatefulDatabase.
#
# Writes $CONF_DIR/server-id.cnf (CONF_DIR default /etc/mysql/conf.d, an emptyDir the main
# container reads) with, for ordinal n of POD_NAME:
#   [mysqld]
#   server_id=<100 + n>
#   log_bin=mysql-bin, relay_log=relay-bin  (fixed base names: they must not follow the hostname)
#   mysql:   gtid_mode=ON, enforce_gtid_consistency=ON
#   mariadb: log_slave_updates=ON (MariaDB always has GTIDs; replicas use MASTER_USE_GTID)
#   n > 0:   read_only=ON
# Env: POD_NAME, DB_FLAVOR (mysql | mariadb), CONF_DIR (optional).
#
# Deviation from the contract, on purpose: `super_read_only` is NOT written here for mysql. With it
# in the configuration, the official image's first-init temporary server rejects root's own writes
# (time zone tables, CREATE USER), so the first start of a replica would fail. mysql-replication-init.sh
# sets it instead with SET PERSIST once the replica is configured (persisted in mysqld-auto.cnf).
# The file is written atomically (temporary file, then rename).
set -eu

log() { printf '%s: %s\n' "mysql-server-id" "$*" >&2; }
die() { log "$*"; exit 1; }

: "${POD_NAME:?POD_NAME is required}"
: "${DB_FLAVOR:?DB_FLAVOR is required (mysql or mariadb)}"
conf_dir=${CONF_DIR:-/etc/mysql/conf.d}

ordinal=${POD_NAME##*-}
case "$ordinal" in
  '' | *[!0-9]*) die "cannot read an ordinal from POD_NAME '$POD_NAME' (expected <name>-<number>)" ;;
esac
# Strip leading zeros so the shell does not read the ordinal as octal.
ordinal=$(printf '%s' "$ordinal" | sed 's/^0*\([0-9]\)/\1/')
if [ "${#ordinal}" -gt 9 ]; then die "ordinal $ordinal is out of range"; fi
server_id=$((100 + ordinal))

case "$DB_FLAVOR" in
  mysql) gtid='gtid_mode=ON
enforce_gtid_consistency=ON' ;;
  mariadb) gtid='log_slave_updates=ON' ;;
  *) die "DB_FLAVOR must be mysql or mariadb, got '$DB_FLAVOR'" ;;
esac

[ -d "$conf_dir" ] || die "CONF_DIR $conf_dir is not a directory"
target="$conf_dir/server-id.cnf"
tmp="$target.tmp.$$"
trap 'rm -f "$tmp"' EXIT
{
  printf '# written by mysql-server-id.sh for %s (ordinal %s)\n' "$POD_NAME" "$ordinal"
  printf '[mysqld]\n'
  printf 'server_id=%s\n' "$server_id"
  printf 'log_bin=mysql-bin\n'
  printf 'relay_log=relay-bin\n'
  printf '%s\n' "$gtid"
  if [ "$ordinal" -gt 0 ]; then
    printf 'read_only=ON\n'
  fi
} >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$target"
trap - EXIT
if [ "$ordinal" -gt 0 ]; then role=replica; else role=primary; fi
log "wrote $target: server_id=$server_id ($DB_FLAVOR $role)"
