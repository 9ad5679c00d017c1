#!/bin/sh
# postgres-start.sh: the command of every PostgreSQL pod's database container. It puts the data
# directory in the role of its ordinal, then runs the image's entrypoint
# ($DB_ENTRYPOINT postgres "$@" [-c ...]; DB_ENTRYPOINT defaults to docker-entrypoint.sh).
#
#   ordinal 0 (the primary), data present: whatever member the data came from (a snapshot of a
#       replica restored as ordinal 0), it comes up writable: standby.signal and recovery.signal
#       are removed, and primary_conninfo / primary_slot_name are dropped from
#       postgresql.auto.conf. The entrypoint runs as a child (signals are forwarded); once the
#       server answers on TCP, postgres-primary-init.sh applies the Secret's passwords
#       (POSTGRES_PASSWORD to the superuser, REPLICATION_PASSWORD to the replication role) over
#       the local socket: a rotated Secret takes effect at every start of the primary.
#   ordinal 0, no data: the entrypoint's first initialisation (initdb, then the initdb.d script).
#   ordinal n > 0 (a hot standby; postgres-replica-init.sh cloned it):
#     - standby.signal is (re)written; a primary_conninfo stored in postgresql.auto.conf (with a
#       password, as pg_basebackup -R writes it) is removed;
#     - the replication password is written to a passfile outside the claim
#       ($RUN_DIR/replication.pgpass, mode 0600), read by libpq at every connection;
#     - the slot <pod name, '-' as '_'> is created on the primary if missing (bounded wait);
#     - the server starts with -c primary_conninfo=... passfile=..., application_name=$POD_NAME,
#       and -c primary_slot_name=<slot>;
#     - max_connections, max_worker_processes, max_wal_senders, max_prepared_transactions and
#       max_locks_per_transaction are started at no less than the primary's values recorded in this
#       data directory's pg_control (pg_controldata): a hot standby refuses to start below them, and
#       a rollout restarts standbys before the primary, so a lowered value would wedge it.
#       The next restart after the primary applied the lower value uses it.
#
# Env: POD_NAME, PGDATA, PRIMARY_HOST, PRIMARY_PORT, REPLICATION_USER, REPLICATION_PASSWORD,
#      POSTGRES_PASSWORD (optional; the superuser is POSTGRES_USER, default postgres),
#      RUN_DIR (optional, default /var/run/postgresql: an emptyDir, never the claim),
#      PRIMARY_WAIT_SECONDS (optional, default 30: how long a standby waits to create its slot),
#      DB_ENTRYPOINT (optional). Passwords never appear on a command line or in the log.
set -eu

log() { printf '%s: %s\n' "postgres-start" "$*" >&2; }
die() { log "$*"; exit 1; }

: "${POD_NAME:?POD_NAME is required}"
: "${PGDATA:?PGDATA is required}"
entry=${DB_ENTRYPOINT:-docker-entrypoint.sh}

ordinal=${POD_NAME##*-}
case "$ordinal" in
  '' | *[!0-9]*) die "cannot read an ordinal from POD_NAME '$POD_NAME' (expected <name>-<number>)" ;;
esac
ordinal=$(printf '%s' "$ordinal" | sed 's/^0*\([0-9]\)/\1/')

auto_conf="$PGDATA/postgresql.auto.conf"
# Drops the named settings from postgresql.auto.conf (atomically: temporary file, then rename).
drop_settings() {
  [ -f "$auto_conf" ] || return 0
  pattern=''
  for name in "$@"; do pattern="$pattern${pattern:+|}$name"; done
  # PostgreSQL writes `name = 'value'` lines; ALTER SYSTEM never indents them.
  if grep -Eq "^ *($pattern) *=" "$auto_conf"; then
    grep -Ev "^ *($pattern) *=" "$auto_conf" >"$auto_conf.tmp" || true
    chmod 600 "$auto_conf.tmp"
    mv "$auto_conf.tmp" "$auto_conf"
    log "removed $* from $auto_conf"
  fi
}

# The value of a setting as this server would run with it (config file, auto.conf, -c args).
setting() { postgres "$@" -C "$setting_name" 2>/dev/null; }

if [ "$ordinal" -eq 0 ]; then
  if [ -f "$PGDATA/PG_VERSION" ]; then
    for signal in standby.signal recovery.signal; do
      if [ -e "$PGDATA/$signal" ]; then
        rm -f "$PGDATA/$signal"
        log "ordinal 0 is the primary: removed $signal (the data came from a standby or a recovery)"
      fi
    done
    drop_settings primary_conninfo primary_slot_name
  fi
  # Read before the entrypoint runs (first start: no data directory yet, the defaults apply).
  setting_name=port
  port=$(setting "$@") || port=''
  case "$port" in '' | *[!0-9]*) port=${PGPORT:-5432} ;; esac
  setting_name=unix_socket_directories
  sockets=$(setting "$@") || sockets=''
  socket_dir=$(printf '%s' "${sockets%%,*}" | sed 's/^ *//; s/ *$//')
  [ -n "$socket_dir" ] || socket_dir=/var/run/postgresql

  "$entry" postgres "$@" &
  child=$!
  # shellcheck disable=SC2317 # called from the traps
  forward() { kill "-$1" "$child" 2>/dev/null || true; }
  trap 'forward INT' INT
  trap 'forward TERM' TERM
  trap 'forward QUIT' QUIT
  trap 'forward HUP' HUP

  # The entrypoint's first-init server listens on the socket only: TCP means the real server.
  until pg_isready -q -h 127.0.0.1 -p "$port" -t 2; do
    kill -0 "$child" 2>/dev/null || break
    sleep 1
  done
  if kill -0 "$child" 2>/dev/null && [ -n "${REPLICATION_USER-}" ] && [ -n "${REPLICATION_PASSWORD-}" ]; then
    if PGHOST=$socket_dir PGPORT=$port sh "$(dirname "$0")/postgres-primary-init.sh"; then
      log "applied the Secret's passwords"
    else
      log "WARNING: could not apply the Secret's passwords (see above); the old ones stay in effect"
    fi
  fi

  status=0
  while :; do
    wait "$child" && status=0 || status=$?
    kill -0 "$child" 2>/dev/null || break
  done
  exit "$status"
fi

# A standby.
: "${PRIMARY_HOST:?PRIMARY_HOST is required}"
: "${PRIMARY_PORT:?PRIMARY_PORT is required}"
: "${REPLICATION_USER:?REPLICATION_USER is required}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is required}"
case "$PRIMARY_PORT" in
  '' | *[!0-9]*) die "PRIMARY_PORT must be a number, got '$PRIMARY_PORT'" ;;
esac
case "$REPLICATION_USER" in
  '' | *[!A-Za-z0-9_]*) die "REPLICATION_USER may hold only letters, digits and _, got '$REPLICATION_USER'" ;;
esac
case "$PRIMARY_HOST" in
  '' | *[!A-Za-z0-9.:-]*) die "PRIMARY_HOST must be a host name or address, got '$PRIMARY_HOST'" ;;
esac
[ -f "$PGDATA/PG_VERSION" ] || die "$PGDATA holds no data directory: postgres-replica-init.sh clones it first"
wait_seconds=${PRIMARY_WAIT_SECONDS:-30}
case "$wait_seconds" in
  '' | *[!0-9]*) die "PRIMARY_WAIT_SECONDS must be a whole number of seconds, got '$wait_seconds'" ;;
esac
case "$REPLICATION_PASSWORD" in
  *'
'*) die "REPLICATION_PASSWORD contains a line break: a libpq passfile cannot hold it" ;;
esac

run_dir=${RUN_DIR:-/var/run/postgresql}
[ -d "$run_dir" ] || die "RUN_DIR $run_dir is not a directory"
passfile="$run_dir/replication.pgpass"
escaped=$(printf '%sx' "$REPLICATION_PASSWORD" | sed -e 's/\\/\\\\/g' -e 's/:/\\:/g')
escaped=${escaped%x}
(
  umask 077
  printf '*:*:*:%s:%s\n' "$REPLICATION_USER" "$escaped" >"$passfile.tmp"
)
mv "$passfile.tmp" "$passfile"

: >"$PGDATA/standby.signal"
drop_settings primary_conninfo primary_slot_name

slot=$(printf '%s' "$POD_NAME" | tr 'A-Z-' 'a-z_' | cut -c1-63)
deadline=$(( $(date +%s) + wait_seconds ))
while :; do
  if PGPASSFILE=$passfile PGCONNECT_TIMEOUT=5 pg_receivewal -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U "$REPLICATION_USER" -w \
      --create-slot --if-not-exists --slot="$slot" 2>"$run_dir/slot.err"; then
    log "replication slot $slot is on the primary $PRIMARY_HOST:$PRIMARY_PORT"
    break
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    log "WARNING: could not create the replication slot $slot on $PRIMARY_HOST:$PRIMARY_PORT: $(tr '\n' ' ' <"$run_dir/slot.err")"
    log "the standby starts anyway and streams once the slot exists (restart it after the primary is back)"
    break
  fi
  sleep 2
done
rm -f "$run_dir/slot.err"

conninfo="host=$PRIMARY_HOST port=$PRIMARY_PORT user=$REPLICATION_USER passfile=$passfile application_name=$POD_NAME"
set -- "$@" -c "primary_conninfo=$conninfo" -c "primary_slot_name=$slot"

# Hot-standby parameters: at least the primary's, as recorded in pg_control.
controldata=$(pg_controldata "$PGDATA" 2>/dev/null) || controldata=''
for pair in max_connections:max_connections max_worker_processes:max_worker_processes \
    max_wal_senders:max_wal_senders max_prepared_transactions:max_prepared_xacts \
    max_locks_per_transaction:max_locks_per_xact; do
  setting_name=${pair%%:*}
  label=${pair#*:}
  recorded=$(printf '%s\n' "$controldata" | sed -n "s/^$label setting: *//p")
  case "$recorded" in '' | *[!0-9]*) continue ;; esac
  configured=$(setting "$@") || configured=''
  case "$configured" in '' | *[!0-9]*) continue ;; esac
  if [ "$configured" -lt "$recorded" ]; then
    log "$setting_name: configured $configured is lower than the primary's $recorded (pg_control): starting with $recorded"
    set -- "$@" -c "$setting_name=$recorded"
  fi
done

log "ordinal $ordinal: starting as a hot standby of $PRIMARY_HOST:$PRIMARY_PORT (slot $slot)"
exec "$entry" postgres "$@"
