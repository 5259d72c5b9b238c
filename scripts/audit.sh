#!/usr/bin/env bash
# Audits the locked dependencies (requirements.lock) against the Python vulnerability databases
# (PyPI's JSON API, which serves the OSV advisories) with pip-audit, from its own virtualenv so
# that pip-audit and its dependencies never enter the newsroom's environment.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
AUDIT_VENV=".venv-audit"
LOCK="requirements.lock"

if [ ! -f "$LOCK" ]; then
  echo "audit: $LOCK is missing; run 'make lock' first." >&2
  exit 2
fi

# pip-audit asks https://pypi.org/pypi/<name>/<version>/json for each pin; its "vulnerabilities" list
# is the database. Probe that very answer for the locked Django first: a mirror, a proxy or no network
# would otherwise make pip-audit report packages as "not found" rather than say it checked nothing.
if ! "$PYTHON" - "$LOCK" <<'PY'
import json
import sys
import urllib.request

pins = dict(line.strip().split("==", 1) for line in open(sys.argv[1]) if "==" in line)
version = next(v for k, v in pins.items() if k.lower() == "django")
url = f"https://pypi.org/pypi/Django/{version}/json"
try:
    with urllib.request.urlopen(url, timeout=8) as response:
        answer = json.load(response)
    if "vulnerabilities" not in answer:
        raise ValueError("the answer has no vulnerability list")
except Exception as error:  # offline, DNS, a mirror without the advisories...
    print(f"audit: {url}: {error}", file=sys.stderr)
    sys.exit(1)
PY
then
  echo "audit: the vulnerability database (pypi.org's JSON API) cannot be reached from this machine." >&2
  echo "audit: NOTHING WAS CHECKED. Run 'make audit' on a machine whose network reaches pypi.org." >&2
  exit 3
fi

if [ ! -x "$AUDIT_VENV/bin/pip-audit" ]; then
  "$PYTHON" -m venv "$AUDIT_VENV"
  "$AUDIT_VENV/bin/pip" install --quiet "pip-audit>=2.7,<3"
fi

# --no-deps: the lock already pins every package, nothing needs resolving; --disable-pip: no install.
exec "$AUDIT_VENV/bin/pip-audit" --requirement "$LOCK" --no-deps --disable-pip --strict --progress-spinner off
