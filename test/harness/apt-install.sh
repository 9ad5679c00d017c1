#!/bin/sh
# Installs Debian packages for the tests that run real servers and tools, the one way all of them
# do it: `apt-install.sh <label> <package>...`.
#
# - One progress line on stderr; apt's own output goes to ~/.cache/cdk8s-stateful/<label>/apt.log,
#   shown (its last 40 lines) only when the install fails.
# - Never starts the distribution's own services: while apt runs, a /usr/sbin/policy-rc.d that
#   answers 101 ("action forbidden") is put in place if none exists, so maintainer scripts do not
#   start postgresql, mariadb or redis; the tests start their own instances on loopback.
# - One installer at a time on the machine (flock), since jest runs test files in parallel; an
#   install that finds the packages there already does nothing.
# - Tries the package lists the machine has first, then `apt-get update` once and again.
# - Needs root; says what to install otherwise.
set -eu

label=$1
shift
log() { printf 'ensure-%s: %s\n' "$label" "$*" >&2; }

if [ "$(id -u)" != 0 ]; then
  log "missing packages ($*) and not root: install them or run the tests as root"
  exit 1
fi

exec 9>/tmp/cdk8s-stateful-apt.lock
flock -w 900 9 || { log 'timed out waiting for another installer'; exit 1; }

cache="${HOME:-/root}/.cache/cdk8s-stateful/$label"
mkdir -p "$cache"
apt_log="$cache/apt.log"
created_policy=''
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\n# temporary, from cdk8s-stateful test/harness/apt-install.sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=yes
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  trap 'exit 130' INT TERM HUP
fi

export DEBIAN_FRONTEND=noninteractive
apt_opts='-y --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold'
log "installing $* from Debian (first run on this machine; log: $apt_log)"
rc=0
# shellcheck disable=SC2086 # apt_opts is a list of options
if ! apt-get install -q $apt_opts "$@" >"$apt_log" 2>&1; then
  # shellcheck disable=SC2086
  { apt-get -q -o DPkg::Lock::Timeout=300 update && apt-get install -q $apt_opts "$@"; } >>"$apt_log" 2>&1 || rc=$?
fi

if [ -n "$created_policy" ]; then
  rm -f /usr/sbin/policy-rc.d
  trap - EXIT INT TERM HUP
fi
if [ "$rc" != 0 ]; then
  tail -n 40 "$apt_log" >&2
  log "apt-get install $* failed (exit $rc)"
  exit "$rc"
fi
