#!/usr/bin/env bash
# The demo's stand-in photos are drawn with DejaVu Sans (newsroom/demo/loader.py): Pillow's built-in
# font has no accented letters. Install Debian's fonts-dejavu-core when we can (as root), otherwise
# stop with a message saying what to install.
set -euo pipefail
font_installed() {
  { command -v fc-list >/dev/null && fc-list : file | grep -q '/DejaVuSans\.ttf'; } ||
    find /usr/share/fonts /usr/local/share/fonts -name DejaVuSans.ttf 2>/dev/null | grep -q .
}
if font_installed; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's fonts-dejavu-core for the demo photos..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq fonts-dejavu-core >/dev/null
  exit 0
fi
echo "The demo photos are drawn with the DejaVu Sans font (DejaVuSans.ttf), which is not installed." >&2
echo "Install it with: sudo apt-get install fonts-dejavu-core   (Debian/Ubuntu)" >&2
exit 1
