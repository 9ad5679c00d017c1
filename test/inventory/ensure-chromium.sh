#!/bin/sh
# Installs Debian's chromium (the headless browser of test/inventory/html-browser.test.ts) only
# when /usr/bin/chromium is missing. One progress line on stderr; apt's own output goes to a log
# under ~/.cache/cdk8s-stateful/chromium/, shown only when the install fails.
#
# Prints, on stdout, one line: the path of the browser. Needs root to install; concurrent callers
# are serialized with flock.
set -eu

BROWSER=/usr/bin/chromium
log() { printf 'ensure-chromium: %s\n' "$*" >&2; }

install_chromium() {
  if [ "$(id -u)" != 0 ]; then
    log "chromium is missing and this is not root: run 'apt-get install chromium' or the tests as root"
    exit 1
  fi
  cache="${HOME:-/root}/.cache/cdk8s-stateful/chromium"
  mkdir -p "$cache"
  apt_log="$cache/apt-install.log"
  export DEBIAN_FRONTEND=noninteractive
  apt_opts='-y --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold'
  log "installing chromium from Debian (first run on this machine, a minute or two; log: $apt_log)"
  rc=0
  # shellcheck disable=SC2086
  if ! apt-get install -q $apt_opts chromium >"$apt_log" 2>&1; then
    # shellcheck disable=SC2086
    { apt-get -q -o DPkg::Lock::Timeout=300 update && apt-get install -q $apt_opts chromium; } >>"$apt_log" 2>&1 || rc=$?
  fi
  if [ "$rc" != 0 ]; then
    tail -n 40 "$apt_log" >&2
    log "apt-get install chromium failed (exit $rc)"
    exit "$rc"
  fi
}

if [ ! -x "$BROWSER" ]; then
  exec 9>/tmp/cdk8s-stateful-ensure-chromium.lock
  flock -w 900 9 || { log 'timed out waiting for another installer'; exit 1; }
  [ -x "$BROWSER" ] || install_chromium
fi
[ -x "$BROWSER" ] || { log "$BROWSER is still missing after the install"; exit 1; }
printf '%s\n' "$BROWSER"
