#!/usr/bin/env bash
# The HTML tests (tests/public/test_html_validity.py) run the W3C Nu HTML checker: vnu.jar from the
# vnu-jar npm package, pinned below, installed into var/vnu/ (git-ignored), run with Debian's Java.
# Install what is missing when we can (Java and npm as root with apt-get), otherwise stop with a
# message naming the package: these tests are never skipped.
set -euo pipefail
VNU_VERSION=26.9.27
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/var/vnu"
JAR="$DEST/node_modules/vnu-jar/build/dist/vnu.jar"
missing=()
command -v java >/dev/null || missing+=(default-jre-headless)
command -v npm >/dev/null || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's ${missing[*]} for the HTML checker..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The HTML checker (vnu.jar) needs Java and npm: missing ${missing[*]}." >&2
    echo "Install with: sudo apt-get install ${missing[*]}   (Debian/Ubuntu)" >&2
    exit 1
  fi
fi
installed="$(node -p "require('$DEST/node_modules/vnu-jar/package.json').version" 2>/dev/null || true)"
if [ -f "$JAR" ] && [ "$installed" = "$VNU_VERSION" ]; then
  exit 0
fi
echo "Installing vnu-jar $VNU_VERSION (the W3C Nu HTML checker) into var/vnu/..."
mkdir -p "$DEST"
# --ignore-scripts: the package's postinstall would download a Java runtime; Debian's is used instead.
npm install --prefix "$DEST" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "vnu-jar@$VNU_VERSION" >/dev/null
test -f "$JAR" || { echo "vnu-jar $VNU_VERSION installed no $JAR" >&2; exit 1; }
