# The two commands: `make run` serves the newsroom with its demo content, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-scale lint install browser-deps html-checker scale-deps fonts clean-db messages lock audit bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) fonts

run: $(STAMP) fonts
	$(BIN)/python manage.py serve

test: $(STAMP) browser-deps html-checker scale-deps fonts messages
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# Only the scale-out tests: a PostgreSQL primary and streaming replica, Redis, two app processes and
# two workers on loopback (tests/scale/, one to two minutes; `make test` runs them too).
test-scale: $(STAMP) scale-deps
	$(BIN)/python -m pytest tests/scale -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/ruff format --check .

browser-deps:
	@bash scripts/ensure-chromium.sh

# The W3C Nu HTML checker (vnu.jar, pinned in the script) in var/vnu/, with Debian's Java.
html-checker:
	@bash scripts/ensure-vnu.sh

scale-deps:
	@bash scripts/ensure-scale-deps.sh

# The font the demo's stand-in photos are drawn with (Debian's fonts-dejavu-core).
fonts:
	@bash scripts/ensure-fonts.sh

# Compile the interface catalogues (locale/*/LC_MESSAGES/django.po -> .mo; the .mo files are also committed).
messages: $(STAMP)
	@bash scripts/ensure-gettext.sh
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var

# The exact versions installed in .venv, for audits and reproducible deployments.
lock: $(STAMP)
	$(BIN)/pip freeze --exclude-editable --all | grep -v '^\(pip\|setuptools\|wheel\)==' > requirements.lock

# Known vulnerabilities in requirements.lock (pip-audit, run from its own virtualenv; needs the network).
audit:
	@bash scripts/audit.sh

# The site under load (gunicorn + wrk on 127.0.0.1, production settings) at 100,000 releases: docs/performance.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py
