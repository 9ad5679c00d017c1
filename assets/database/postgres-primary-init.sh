#!/bin/sh
# postgres-primary-init.sh: run by the official image's entrypoint on the primary (ordinal 0), from
# /docker-entrypoint-initdb.d/, after initdb, while the temporary server runs; and by
# postgres-start.sh at every later start of the primary, once the server answers (so a password
# rotated in the Secret takes effect at the primary's next start).
#
# Creates (or updates: the script is idempotent) the role $REPLICATION_USER WITH REPLICATION LOGIN
# and its password (stored as SCRAM-SHA-256), and appends
#   host replication <user> all scram-sha-256
# to the server's pg_hba.conf (the file `SHOW hba_file` names: $PGDATA/pg_hba.conf by default)
# unless the line is already there, then reloads the configuration.
#
# With POSTGRES_PASSWORD set, it also sets the superuser's ($PGUSER's) password to it.
#
# Env: REPLICATION_USER (a plain identifier: letters, digits, _; it also goes into pg_hba.conf),
#      REPLICATION_PASSWORD, POSTGRES_PASSWORD (optional; both from a Secret). Connection through libpq's environment
#      (PGHOST/PGPORT/PGUSER/PGPASSWORD); PGUSER defaults to $POSTGRES_USER, then to postgres.
# The password travels on psql's stdin, never on a command line; psql reports errors tersely
# (no statement text) and the session disables statement logging, so it never reaches a log.
set -eu

log() { printf '%s: %s\n' "postgres-primary-init" "$*" >&2; }
die() { log "$*"; exit 1; }

: "${REPLICATION_USER:?REPLICATION_USER is required}"
: "${REPLICATION_PASSWORD:?REPLICATION_PASSWORD is required}"
case "$REPLICATION_USER" in
  [A-Za-z_]*) ;;
  *) die "REPLICATION_USER must start with a letter or _, got '$REPLICATION_USER'" ;;
esac
case "$REPLICATION_USER" in
  *[!A-Za-z0-9_]*) die "REPLICATION_USER may hold only letters, digits and _, got '$REPLICATION_USER'" ;;
esac
if [ "${#REPLICATION_USER}" -gt 63 ]; then
  die "REPLICATION_USER is longer than 63 characters"
fi

PGUSER=${PGUSER:-${POSTGRES_USER:-postgres}}
export PGUSER
case "$PGUSER" in
  '' | *[!A-Za-z0-9_]*) die "the superuser name may hold only letters, digits and _, got '$PGUSER'" ;;
esac

sql() { psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=terse --no-password -d "${POSTGRES_DB:-postgres}" "$@"; }

# Sets $literal to the SQL string literal of a password (standard_conforming_strings: only '
# needs doubling). A variable, not output: the trailing x keeps trailing newlines of the password
# through the command substitution, which a second substitution would strip.
sql_literal() {
  literal=$(printf '%sx' "$1" | sed "s/'/''/g")
  literal=${literal%x}
}

# Run one statement carrying a password: never logged (log_statement, error statements), and
# hashed with SCRAM.
password_sql() {
  sql <<SQL
\set VERBOSITY terse
SET log_statement = 'none';
SET log_min_error_statement = 'panic';
SET password_encryption = 'scram-sha-256';
$1
SQL
}

exists=$(sql -tA -c "SELECT 1 FROM pg_roles WHERE rolname = '$REPLICATION_USER'")
if [ "$exists" = 1 ]; then verb=ALTER; else verb=CREATE; fi
log "$verb ROLE \"$REPLICATION_USER\" WITH REPLICATION LOGIN"
sql_literal "$REPLICATION_PASSWORD"
password_sql "$verb ROLE \"$REPLICATION_USER\" WITH REPLICATION LOGIN PASSWORD '$literal';"

if [ -n "${POSTGRES_PASSWORD-}" ]; then
  log "setting the password of the superuser \"$PGUSER\" from the Secret"
  sql_literal "$POSTGRES_PASSWORD"
  password_sql "ALTER ROLE \"$PGUSER\" PASSWORD '$literal';"
fi

hba_file=$(sql -tA -c 'SHOW hba_file')
[ -n "$hba_file" ] || die "the server did not name its hba_file"
line="host replication $REPLICATION_USER all scram-sha-256"
if grep -qxF "$line" "$hba_file"; then
  log "$hba_file already admits $REPLICATION_USER for replication"
else
  printf '%s\n' "$line" >>"$hba_file"
  log "appended '$line' to $hba_file"
fi
sql -tA -c 'SELECT pg_reload_conf()' >/dev/null
log "done"
