#!/bin/sh
# postgres-replica-init.sh: init container of every PostgreSQL pod of a StatefulDatabase.
#
#   ordinal 0 (POD_NAME ends in -0)  exit 0: the primary bootstraps through the image's entrypoint.
#   $PGDATA/PG_VERSION exists        exit 0: a restart keeps its role and data (idempotent).
#   otherwise                        wait (bounded) for the primary, create this member's
#                                    replication slot there (<pod name, '-' as '_'>, if missing),
#                                    clone the primary with pg_basebackup through that slot into
#                                    $PGDATA.tmp, write standby.signal, then rename to $PGDATA: the
#                                    pod starts as a hot standby. No password is written into the
#                                    clone (no -R): postgres-start.sh gives the standby its
#                                    primary_conninfo, with a passfile outside the claim, at every start.
#
# Env: POD_NAME, PRIMARY_HOST, PRIMARY_PORT, REPLICATION_USER, REPLICATION_PASSWORD (from a Secret),
#      PGDATA, PRIMARY_WAIT_SECONDS (optional, default 300: total time for the primary to answer
#      and the clone to succeed; failed attempts are retried every 5 s within that time).
# Refuses (exit 1) a non-empty $PGDATA without PG_VERSION: that is not a data directory this script
# may overwrite. The password is passed through PGPASSWORD only, never on a command line or in logs.
set -eu

log() { printf '%s: %s\n' "postgres-replica-init" "$*" >&2; }
die() { log "$*"; exit 1; }

: "${POD_NAME:?POD_NAME is required}"
: "${PGDATA:?PGDATA is required}"

ordinal=${POD_NAME##*-}
case "$ordinal" in
  '' | *[!0-9]*) die "cannot read an ordinal from POD_NAME '$POD_NAME' (expected <name>-<number>)" ;;
esac

if [ "$ordinal" -eq 0 ]; then
  log "ordinal 0 is the primary: nothing to clone"
  exit 0
fi

if [ -f "$PGDATA/PG_VERSION" ]; then
  log "$PGDATA already holds a data directory: keeping it (restart)"
  exit 0
fi

if [ -d "$PGDATA" ] && [ -n "$(ls -A "$PGDATA")" ]; then
  die "$PGDATA is not empty but has no PG_VERSION: refusing to overwrite it; inspect the claim"
fi

: "${PRIMARY_HOST:?PRIMARY_HOST is required}"
: "${PRIMARY_PORT:?PRIMARY_PORT is required}"
: "${REPLICATION_USER:?REPLICATION_USER is required}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is required}"
wait_seconds=${PRIMARY_WAIT_SECONDS:-300}
case "$wait_seconds" in
  '' | *[!0-9]*) die "PRIMARY_WAIT_SECONDS must be a whole number of seconds, got '$wait_seconds'" ;;
esac

slot=$(printf '%s' "$POD_NAME" | tr 'A-Z-' 'a-z_' | cut -c1-63)
tmp="$PGDATA.tmp"
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

now() { date +%s; }
deadline=$(( $(now) + wait_seconds ))
attempt=0
while :; do
  attempt=$((attempt + 1))
  if pg_isready -q -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -t 5; then
    rm -rf "$tmp"
    log "cloning the primary $PRIMARY_HOST:$PRIMARY_PORT as '$REPLICATION_USER' through slot $slot (attempt $attempt)"
    if PGPASSWORD=$REPLICATION_PASSWORD PGCONNECT_TIMEOUT=10 pg_receivewal \
        -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER" -w \
        --create-slot --if-not-exists --slot="$slot" &&
      PGPASSWORD=$REPLICATION_PASSWORD PGCONNECT_TIMEOUT=10 pg_basebackup \
        -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER" -w \
        -D "$tmp" -X stream -S "$slot" -c fast; then
      break
    fi
    log "cloning failed (attempt $attempt)"
  else
    log "waiting for the primary $PRIMARY_HOST:$PRIMARY_PORT to accept connections"
  fi
  left=$((deadline - $(now)))
  if [ "$left" -le 0 ]; then
    die "gave up after ${wait_seconds}s: could not clone $PRIMARY_HOST:$PRIMARY_PORT"
  fi
  if [ "$left" -gt 5 ]; then left=5; fi
  sleep "$left"
done

: >"$tmp/standby.signal"
chmod 700 "$tmp"
# An existing empty $PGDATA (e.g. created by the image) would make mv nest the clone inside it.
if [ -d "$PGDATA" ]; then rmdir "$PGDATA"; fi
mv "$tmp" "$PGDATA"
trap - EXIT
log "cloned into $PGDATA: the server will start as a hot standby"
