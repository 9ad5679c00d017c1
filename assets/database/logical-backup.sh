#!/bin/sh
# logical-backup.sh: the container of a StatefulDatabase's logical-backup CronJob.
#
# Dumps the whole server (postgres: pg_dumpall; mysql: mysqldump; mariadb: mariadb-dump, falling
# back to mysqldump; both with --all-databases --single-transaction --routines --events --triggers
# --flush-privileges, so a restore of the mysql schema takes effect at once)
# through gzip into $BACKUP_DIR/<engine>-<UTC YYYYmmddTHHMMSSZ>.sql.gz, atomically: it writes
# <file>.partial and renames it only when the dump tool exited 0, gzip succeeded, the archive tests
# sound and the dump ends with the tool's completion trailer (so an empty or truncated dump is
# refused). Then it keeps the newest $BACKUP_KEEP dumps of this engine and deletes the older ones.
# Any failure exits non-zero, removes the .partial file and prunes nothing.
#
# Env: DB_ENGINE (postgres | mysql | mariadb), DB_HOST, DB_PORT, DB_USER, DB_PASSWORD (from a
#      Secret; passed as PGPASSWORD / MYSQL_PWD only), BACKUP_DIR (the mounted backup claim),
#      BACKUP_KEEP (whole number >= 1).
# Only files named <engine>-<timestamp>.sql.gz are pruned; other files in BACKUP_DIR are left
# alone. Stale <engine>-*.sql.gz.partial files (a run killed with SIGKILL) are removed at start:
# the CronJob's concurrencyPolicy Forbid guarantees no other run is writing them.
# A dump whose name already exists (two runs within the same second) is refused, never overwritten.
set -eu

log() { printf '%s: %s\n' "logical-backup" "$*" >&2; }
die() { log "$*"; exit 1; }

: "${DB_ENGINE:?DB_ENGINE is required (postgres, mysql or mariadb)}"
: "${DB_HOST:?DB_HOST is required}"
: "${DB_PORT:?DB_PORT is required}"
: "${DB_USER:?DB_USER is required}"
: "${BACKUP_DIR:?BACKUP_DIR is required}"
: "${BACKUP_KEEP:?BACKUP_KEEP is required}"
DB_PASSWORD=${DB_PASSWORD-}

case "$BACKUP_KEEP" in
  '' | *[!0-9]*) die "BACKUP_KEEP must be a whole number >= 1, got '$BACKUP_KEEP'" ;;
esac
BACKUP_KEEP=$(printf '%s' "$BACKUP_KEEP" | sed 's/^0*\([0-9]\)/\1/')
if [ "${#BACKUP_KEEP}" -gt 9 ] || [ "$BACKUP_KEEP" -lt 1 ]; then
  die "BACKUP_KEEP must be a whole number >= 1, got '$BACKUP_KEEP'"
fi
case "$DB_PORT" in
  '' | *[!0-9]*) die "DB_PORT must be a number, got '$DB_PORT'" ;;
esac
[ -d "$BACKUP_DIR" ] || die "BACKUP_DIR $BACKUP_DIR is not a directory (is the backup claim mounted?)"
[ -w "$BACKUP_DIR" ] || die "BACKUP_DIR $BACKUP_DIR is not writable"

case "$DB_ENGINE" in
  postgres)
    tool=pg_dumpall
    trailer='^-- PostgreSQL database cluster dump complete' ;;
  mysql)
    tool=mysqldump
    trailer='^-- Dump completed' ;;
  mariadb)
    if command -v mariadb-dump >/dev/null 2>&1; then tool=mariadb-dump; else tool=mysqldump; fi
    trailer='^-- Dump completed' ;;
  *) die "DB_ENGINE must be postgres, mysql or mariadb, got '$DB_ENGINE'" ;;
esac
command -v "$tool" >/dev/null 2>&1 || die "$tool is not on PATH"
command -v gzip >/dev/null 2>&1 || die "gzip is not on PATH"

export LC_ALL=C
stamp=$(date -u +%Y%m%dT%H%M%SZ)
final="$BACKUP_DIR/$DB_ENGINE-$stamp.sql.gz"
partial="$final.partial"

for stale in "$BACKUP_DIR/$DB_ENGINE"-*.sql.gz.partial; do
  if [ -e "$stale" ]; then
    log "removing a stale partial dump: $stale"
    rm -f "$stale"
  fi
done
if [ -e "$final" ]; then die "$final already exists: refusing to overwrite it"; fi

trap 'rm -f "$partial"' EXIT
trap 'exit 130' INT TERM HUP

dump() {
  case "$DB_ENGINE" in
    postgres)
      PGPASSWORD=$DB_PASSWORD PGCONNECT_TIMEOUT=30 \
        pg_dumpall -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" --no-password ;;
    *)
      MYSQL_PWD=$DB_PASSWORD "$tool" --host="$DB_HOST" --port="$DB_PORT" --user="$DB_USER" \
        --default-character-set=utf8mb4 --all-databases --single-transaction --routines --events \
        --triggers --flush-privileges ;;
  esac
}

log "dumping $DB_ENGINE at $DB_HOST:$DB_PORT as $DB_USER into $final"
# POSIX sh has no pipefail: the dump's exit status travels on fd 3 out of the pipeline.
set +e
dump_status=$( { { rc=0; dump || rc=$?; printf '%s' "$rc" >&3; } | gzip -c >"$partial"; } 3>&1 )
gzip_status=$?
set -e
[ "$dump_status" = 0 ] || die "$tool failed (exit ${dump_status:-unknown}); no dump written"
[ "$gzip_status" = 0 ] || die "gzip failed (exit $gzip_status); no dump written"
gzip -t "$partial" || die "the compressed dump does not test sound; no dump written"
if ! gzip -dc "$partial" | tail -n 5 | grep -q "$trailer"; then
  die "the dump is empty or truncated (no completion trailer); no dump written"
fi
mv "$partial" "$final"
trap - EXIT
log "wrote $final ($(wc -c <"$final" | tr -d ' ') bytes)"

# Prune: the glob is sorted by name, i.e. oldest first (the timestamp has a fixed width).
count=0
for f in "$BACKUP_DIR/$DB_ENGINE"-????????T??????Z.sql.gz; do
  if [ -e "$f" ]; then count=$((count + 1)); fi
done
excess=$((count - BACKUP_KEEP))
for f in "$BACKUP_DIR/$DB_ENGINE"-????????T??????Z.sql.gz; do
  [ "$excess" -gt 0 ] || break
  [ -e "$f" ] || continue
  log "pruning $f (keeping the newest $BACKUP_KEEP)"
  rm -f "$f"
  excess=$((excess - 1))
done
