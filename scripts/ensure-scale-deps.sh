#!/usr/bin/env bash
# The scale tests (tests/scale/) start Debian's redis-server and varnishd on loopback beside two app
# processes. Install them when we can (as root), otherwise stop with a message saying what to
# install: these tests are never skipped.
set -euo pipefail
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v varnishd >/dev/null || [ -x /usr/sbin/varnishd ] || missing+=(varnish)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's ${missing[*]} for the scale tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
  # The package's own varnish service (port 6081) is not needed: the tests start their own varnishd
  # on free ports. Stop it where a service manager started it (in a container, none did).
  if [[ " ${missing[*]} " == *" varnish "* ]]; then
    if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
      systemctl disable --now varnish varnishncsa >/dev/null 2>&1 || true
    elif [ -x /etc/init.d/varnish ]; then
      /etc/init.d/varnish stop >/dev/null 2>&1 || true
    fi
  fi
  exit 0
fi
echo "The scale tests need ${missing[*]} (Redis's redis-server and Varnish's varnishd)." >&2
echo "Install them with: sudo apt-get install ${missing[*]}   (Debian/Ubuntu)" >&2
exit 1
