#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright; photo tests write their fixtures with
# Debian's exiftool (libimage-exiftool-perl); the load test (tests/reliability/) drives the site with
# wrk. Install them when we can (as root), otherwise stop with a message saying what to install:
# these tests are never skipped.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
command -v exiftool >/dev/null || missing+=(libimage-exiftool-perl)
command -v wrk >/dev/null || missing+=(wrk)
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's ${missing[*]} for the browser, photo and load tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "The browser tests need Chromium at /usr/bin/chromium." >&2
  echo "Install it with: sudo apt-get install chromium   (Debian/Ubuntu)" >&2
fi
if ! command -v exiftool >/dev/null; then
  echo "The photo tests need exiftool (Debian package libimage-exiftool-perl) to write their fixtures." >&2
  echo "Install it with: sudo apt-get install libimage-exiftool-perl   (Debian/Ubuntu)" >&2
fi
if ! command -v wrk >/dev/null; then
  echo "The load test needs wrk (an HTTP benchmarking tool)." >&2
  echo "Install it with: sudo apt-get install wrk   (Debian/Ubuntu)" >&2
fi
exit 1
