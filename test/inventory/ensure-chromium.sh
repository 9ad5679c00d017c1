#!/bin/sh
# Installs Debian's chromium (the headless browser of test/inventory/html-browser.test.ts) only
# when /usr/bin/chromium is missing, with test/harness/apt-install.sh (one progress line).
#
# Prints, on stdout, one line: the path of the browser.
set -eu

BROWSER=/usr/bin/chromium
log() { printf 'ensure-chromium: %s\n' "$*" >&2; }

if [ ! -x "$BROWSER" ]; then
  sh "$(dirname "$0")/../harness/apt-install.sh" chromium chromium
fi
[ -x "$BROWSER" ] || { log "$BROWSER is still missing after the install"; exit 1; }
printf '%s\n' "$BROWSER"
