#!/usr/bin/env bash
# Browser tests drive Debian's Chromium through Playwright. Install it when we can (as root),
# otherwise stop with a message saying what to install: the browser tests are never skipped.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  exit 0
fi
echo "The browser tests need Chromium at /usr/bin/chromium." >&2
echo "Install it with: sudo apt-get install chromium   (Debian/Ubuntu)" >&2
exit 1
