#!/usr/bin/env bash
# The catalogue test runs makemessages (xgettext, msgmerge) and the build compiles the .mo files
# (msgfmt): install GNU gettext when we can (as root), otherwise say what to install.
set -euo pipefail
if command -v msgfmt >/dev/null && command -v xgettext >/dev/null; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing GNU gettext for the message catalogues..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq gettext >/dev/null
  exit 0
fi
echo "The message catalogues need GNU gettext (msgfmt, xgettext)." >&2
echo "Install it with: sudo apt-get install gettext   (Debian/Ubuntu)" >&2
exit 1
