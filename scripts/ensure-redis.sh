#!/usr/bin/env bash
# The scale tests (tests/scale/) start Debian's redis-server on loopback beside two app processes.
# Install it when we can (as root), otherwise stop with a message saying what to install: these
# tests are never skipped.
set -euo pipefail
if command -v redis-server >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's redis-server for the scale tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
  exit 0
fi
echo "The scale tests need Redis (redis-server on PATH)." >&2
echo "Install it with: sudo apt-get install redis-server   (Debian/Ubuntu)" >&2
exit 1
