"""Production mode refuses unsafe settings; with real ones, Django's deployment checks find nothing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STRONG_KEY = "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz-_ABCDEFGH"


def manage(*args, **env):
    # The browser tests allow async-unsafe calls in this process (live server); a deployment does not.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {**inherited, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="news.example.lu")
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_production_refuses_the_development_key():
    result = manage(
        "check", DEBUG="0", SECRET_KEY="development-only-not-secret-newsroom-key", ALLOWED_HOSTS="news.example.lu"
    )
    assert result.returncode != 0
    assert "set SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", DEBUG="0", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "set ALLOWED_HOSTS" in result.stderr


def test_deployment_checks_report_nothing_in_production_mode():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="news.example.lu",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_sqlite_is_refused():
    result = manage("check", DATABASE_URL="sqlite:///var/db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr
